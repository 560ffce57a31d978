package org.ioreqsim.sim.scenario;

import java.util.Objects;
import org.ioreqsim.ioreq.XenOptions;

/**
 * The Xen a scenario runs on: which version's behaviour, and where the device models run.
 *
 * @param emulators where each guest's device models run
 * @param options   Xen version flags
 */
public record XenSettings(EmulatorPlacement emulators, XenOptions options) {

    /** Xen at the seed commit; emulators placed automatically. */
    public static final XenSettings DEFAULT = new XenSettings(EmulatorPlacement.AUTO, XenOptions.SEED);

    public XenSettings {
        Objects.requireNonNull(emulators, "emulators");
        Objects.requireNonNull(options, "options");
    }

    public XenSettings withOptions(XenOptions o) {
        return new XenSettings(emulators, o);
    }

    public XenSettings withEmulators(EmulatorPlacement p) {
        return new XenSettings(p, options);
    }
}
