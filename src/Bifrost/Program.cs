using System.CommandLine;
using Bifrost.Commands;

// Table of contents: one subcommand per capability. Only `serve` builds a host; the others are
// static handlers with explicit parameters that write to a TextWriter (testable without a host).
var root = new RootCommand("Bifrost — turns raw application logs into answers an on-call engineer can act on.");
var serve = ServeCommand.Create();
root.Subcommands.Add(serve);
root.Subcommands.Add(AnalyzeCommand.Create());
root.Subcommands.Add(TopicsCommand.Create());
root.Subcommands.Add(PatternsCommand.Create());
root.Subcommands.Add(KeysCommand.Create());
root.Subcommands.Add(ProbeCommand.Create());
root.Subcommands.Add(DlqCommand.Create());
root.Subcommands.Add(DbMigrateCommand.Create());
root.Subcommands.Add(Bifrost.Runbooks.RunbooksCommand.Create());
root.Subcommands.Add(Bifrost.Feedback.FeedbackCommand.Create());
root.Subcommands.Add(Bifrost.Ask.AskCommand.Create());
root.Subcommands.Add(IncidentsCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(NotifyCommand.Create());
TopicsDescribeCommand.Register(root); // after `topics create`'s line: adds `describe` to the same `topics`

var parsed = root.Parse(args);
// `serve` leaves SIGTERM/SIGINT to its host, which drains for up to kafka.shutdown_timeout_seconds and exits 0.
// System.CommandLine's own handler would end the process 2 s after the signal (exit 143), cutting the drain short.
var invocation = new InvocationConfiguration();
if (parsed.CommandResult.Command == serve)
{
    invocation.ProcessTerminationTimeout = null;
}

return await parsed.InvokeAsync(invocation).ConfigureAwait(false);
