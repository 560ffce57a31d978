package org.ioreqsim.sim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.ioreqsim.sim.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report pages as a person sees them: each command's page is opened in a real headless browser
 * (Debian's chromium), its DOM checked (headings, tables with formatted numbers, no Java map text,
 * charts that decoded) and a 1,400 px wide screenshot checked for content. Skipped where chromium is
 * not installed ({@code apt-get install chromium}).
 */
class ReportPagesInBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void everyReportPageRendersInChromium(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed");
        cli("run", "--deterministic", "--domains", "12", "--requests", "200", "--report", dir.resolve("run").toString());
        cli("script", "../examples/04-synchronous-protocol.ioreq", "--report", dir.resolve("script").toString());
        cli("stress", "--seeds", "30", "--workers", "1", "--traces", dir.resolve("traces").toString(), "--report",
                dir.resolve("stress").toString());
        cli("trace", "src/test/resources/traces/linux-q35-smp4.qemu-trace.log.gz", "--layout", "qemu-q35", "--report",
                dir.resolve("trace").toString());

        String run = dom(dir.resolve("run/index.html"));
        assertTrue(run.contains("<h2>Fairness</h2>") && run.contains("Jain's index"), "the fairness table");
        assertTrue(run.indexOf("<td>server-2-0</td>") < run.indexOf("<td>server-10-0</td>"), "routes in natural order");
        String script = dom(dir.resolve("script/index.html"));
        assertTrue(script.contains("class=\"note\""), "the script's comments are shown");
        assertTrue(script.contains("<td>ok</td>"), "the check column says whether each expectation held");
        String stress = dom(dir.resolve("stress/index.html"));
        assertTrue(stress.contains("<a href=\"file:"), "traces are links");
        assertTrue(stress.indexOf(">H2<") < stress.indexOf(">H11<") || !stress.contains(">H11<"), "hazards in natural order");
        String trace = dom(dir.resolve("trace/index.html"));
        assertTrue(trace.contains("server-1-0 30,514"), "routes as text with thousands separators");
        assertTrue(trace.contains("nothing to draw"), "no empty mismatch chart");
        for (String page : List.of(run, script, stress, trace)) {
            assertFalse(page.matches("(?s).*\\{[a-z0-9-]+=\\d.*"), "no Java map text");
        }
        for (String name : List.of("run", "script", "stress", "trace")) {
            BufferedImage shot = screenshot(dir.resolve(name + "/index.html"), dir.resolve(name + ".png"));
            assertEquals(1400, shot.getWidth());
            assertTrue(inkShare(shot) > 0.02, name + ": the screenshot shows the page");
        }
    }

    private static void cli(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertTrue(code == 0 || code == 1, String.join(" ", args) + ": " + err);
    }

    /** The page's DOM after chromium loaded it. */
    private static String dom(Path page) throws Exception {
        String dom = chromium(List.of("--dump-dom", page.toUri().toString()));
        assertTrue(dom.contains("<h1>"), page + ": " + dom.length() + " characters");
        return dom;
    }

    private static BufferedImage screenshot(Path page, Path png) throws Exception {
        chromium(List.of("--window-size=1400,2000", "--screenshot=" + png, page.toUri().toString()));
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null, png + " was written");
        return image;
    }

    /** The share of pixels that are not white. */
    private static double inkShare(BufferedImage image) {
        long ink = 0;
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                if ((image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    ink++;
                }
            }
        }
        return ink / ((image.getWidth() / 4.0) * (image.getHeight() / 4.0));
    }

    private static String chromium(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + Files.createTempDirectory("chromium")));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        return out;
    }
}
