package io.nightshift.jobs.base;

import picocli.CommandLine;

/** The code version recorded in {@code job_runs} and printed by {@code --version}. */
public final class BuildVersion implements CommandLine.IVersionProvider {
    public static String current() {
        String v = BuildVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"nightshift " + current()};
    }
}
