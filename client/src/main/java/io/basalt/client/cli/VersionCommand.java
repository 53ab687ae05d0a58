package io.basalt.client.cli;

import picocli.CommandLine.Command;

/** {@code basalt version}: the version of this build and the JDK running it. */
@Command(name = "version", description = "Print the Basalt version and the JDK.")
final class VersionCommand implements Runnable {
    @Override
    public void run() {
        System.out.println(new BasaltCli.Version().getVersion()[0]);
    }
}
