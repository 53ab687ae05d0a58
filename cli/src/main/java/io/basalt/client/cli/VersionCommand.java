package io.basalt.client.cli;

import io.basalt.node.metrics.BuildInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code basalt version [-o json]}: the version and git revision of this build and the JDK running it. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the Basalt version and the JDK.")
final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        if (output.json()) {
            OutputOptions.print(spec.commandLine().getOut(), OutputOptions.object()
                .put("version", BuildInfo.version()).put("revision", BuildInfo.revision())
                .put("jdk", Runtime.version().toString()));
        } else {
            spec.commandLine().getOut().println(new BasaltCli.Version().getVersion()[0]);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
