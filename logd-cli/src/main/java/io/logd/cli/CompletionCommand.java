package io.logd.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code logd completion bash|zsh}: the shell completion script picocli generates from the command
 * model; the same scripts ship under {@code packaging/completion/}.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Print the shell completion script.", "",
        "  bash: source <(logd completion bash)",
        "  zsh:  source <(logd completion zsh)"})
final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", defaultValue = "bash", description = "bash or zsh. Default: bash")
  String shell;

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "SHELL: expected bash or zsh, got '" + shell + "'");
    }
    spec.commandLine().getOut().print(script(shell));
    spec.commandLine().getOut().flush();
    return Main.EXIT_OK;
  }

  /** The completion script for {@code shell}; zsh loads the bash one through bashcompinit. */
  static String script(String shell) {
    CommandLine cmd = Main.commandLine(CliContext.system(), new java.io.PrintWriter(java.io.Writer.nullWriter()),
        new java.io.PrintWriter(java.io.Writer.nullWriter()));
    String bash = AutoComplete.bash("logd", cmd);
    return shell.equals("zsh") ? "#compdef logd\nautoload -U +X bashcompinit && bashcompinit\n" + bash : bash;
  }
}
