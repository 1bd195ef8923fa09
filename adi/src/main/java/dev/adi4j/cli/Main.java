package dev.adi4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code adi} command line; each subcommand lives in its own class. */
@Command(name = "adi", mixinStandardHelpOptions = true, version = "adi4j 0.1.0",
        description = "Action customization (ADI) for Stable Diffusion 2.1 on the JVM.",
        subcommands = {
                GenerateCommand.class,
                DemoCommand.class,
                ServeCommand.class,
                ServeBenchCommand.class,
                TrainCommand.class,
                ActionBenchCommand.class,
                BenchNetCommand.class,
                BenchCommand.class,
                GoldenCommand.class,
                ConvertCommand.class,
                TokenizeCommand.class,
                InspectCommand.class,
                InfoCommand.class,
                MiniCommand.class,
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the CLI and returns its exit code (kept separate from {@link #main} so tests can call it). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new UserErrorHandler());
        // picocli lets --help win over an unknown subcommand ("adi nosuch --help" printed usage, exit 0)
        if (args.length > 0 && !args[0].startsWith("-") && !cl.getSubcommands().containsKey(args[0])) {
            cl.getErr().println("adi: error: unknown command '" + args[0] + "'; commands: "
                    + String.join(", ", cl.getSubcommands().keySet()));
            return CommandLine.ExitCode.USAGE;
        }
        return cl.execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
