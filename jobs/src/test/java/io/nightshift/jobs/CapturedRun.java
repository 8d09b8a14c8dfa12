package io.nightshift.jobs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import io.nightshift.jobs.cli.NightshiftCli;

/**
 * A {@code nightshift} command line run in this JVM, with what it printed to standard output and error. Both are
 * echoed after the run, so that the test log still shows them.
 */
public record CapturedRun(int exitCode, String out, String err) {

    public static CapturedRun of(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = NightshiftCli.execute(args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        String o = out.toString(StandardCharsets.UTF_8);
        String e = err.toString(StandardCharsets.UTF_8);
        System.out.print(o);
        System.err.print(e);
        return new CapturedRun(code, o, e);
    }
}
