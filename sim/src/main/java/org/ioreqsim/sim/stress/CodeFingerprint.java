package org.ioreqsim.sim.stress;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Which code a trace was recorded with: the project version and a SHA-256 prefix over the class files
 * of the model (the ioreq, vCPU and domain modules), read in name order from wherever they were
 * loaded. A replay on different model code may diverge, and says so.
 */
public final class CodeFingerprint {
    private static final Class<?>[] MODULES = {org.ioreqsim.ioreq.host.Host.class, org.ioreqsim.vcpu.Vcpu.class,
        org.ioreqsim.domain.Domain.class};
    private static StressTrace.CodeVersion cached;

    private CodeFingerprint() {
    }

    public static synchronized StressTrace.CodeVersion current() {
        if (cached == null) {
            String v = CodeFingerprint.class.getPackage().getImplementationVersion();
            cached = new StressTrace.CodeVersion(v == null ? "dev" : v, modelHash());
        }
        return cached;
    }

    private static String modelHash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Class<?> c : MODULES) {
                CodeSource src = c.getProtectionDomain().getCodeSource();
                if (src == null) {
                    return "unknown";
                }
                Path p = Path.of(src.getLocation().toURI());
                if (Files.isDirectory(p)) {
                    hashDirectory(sha, p);
                } else {
                    hashJar(sha, p);
                }
            }
            byte[] d = sha.digest();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                sb.append(String.format("%02x", d[i]));
            }
            return sb.toString();
        } catch (IOException | URISyntaxException | NoSuchAlgorithmException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void hashDirectory(MessageDigest sha, Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(f -> f.toString().endsWith(".class")).forEach(files::add);
        }
        files.sort(null);
        for (Path f : files) {
            sha.update(root.relativize(f).toString().replace('\\', '/').getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update(Files.readAllBytes(f));
        }
    }

    private static void hashJar(MessageDigest sha, Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            List<String> names = new ArrayList<>();
            for (Enumeration<JarEntry> e = j.entries(); e.hasMoreElements();) {
                String n = e.nextElement().getName();
                if (n.endsWith(".class")) {
                    names.add(n);
                }
            }
            names.sort(null);
            for (String n : names) {
                sha.update(n.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                try (InputStream in = j.getInputStream(j.getEntry(n))) {
                    sha.update(in.readAllBytes());
                }
            }
        }
    }
}
