using System.CommandLine;
using System.Globalization;
using Bifrost.Analysis;
using Bifrost.Commands;
using Bifrost.Knowledge;

namespace Bifrost.Runbooks;

/// <summary>
/// <c>bifrost runbooks add PATH…</c> (markdown files, or folders searched for *.md), <c>list</c> and <c>remove PATH…</c>:
/// straight in the database, like <c>keys</c>. A file is stored under its path as given (relative to the current
/// directory), so adding it again from the same place replaces its sections.
/// </summary>
internal static class RunbooksCommand
{
    public static Command Create()
    {
        var config = KnowledgeCli.Config();
        var url = KnowledgeCli.DatabaseUrl();
        var paths = new Argument<string[]>("paths") { Description = "markdown files or folders (searched for *.md)", Arity = ArgumentArity.OneOrMore };
        var by = new Option<string?>("--by") { Description = "recorded as who added them (default: cli:$USER)" };
        var add = new Command("add", "Add or replace runbooks: each file is split into sections at its headings.") { paths, by, url, config };
        add.SetAction((parse, ct) => KafkaCli.GuardAsync(async () =>
        {
            await using var db = await KnowledgeCli.OpenAsync(parse.GetValue(url), parse.GetValue(config)?.FullName, ct).ConfigureAwait(false);
            return await AddAsync(Store(db), parse.GetValue(paths)!, KnowledgeCli.Author(parse.GetValue(by)), Directory.GetCurrentDirectory(), Console.Out, Console.Error, ct).ConfigureAwait(false);
        }));

        var sections = new Option<bool>("--sections") { Description = "list every section with its category" };
        var list = new Command("list", "List stored runbooks (and, with --sections, their sections).") { sections, url, config };
        list.SetAction((parse, ct) => KafkaCli.GuardAsync(async () =>
        {
            await using var db = await KnowledgeCli.OpenAsync(parse.GetValue(url), parse.GetValue(config)?.FullName, ct).ConfigureAwait(false);
            return await ListAsync(Store(db), parse.GetValue(sections), Console.Out, ct).ConfigureAwait(false);
        }));

        var sources = new Argument<string[]>("paths") { Description = "source paths as listed by `runbooks list`", Arity = ArgumentArity.OneOrMore };
        var remove = new Command("remove", "Remove stored runbooks by source path.") { sources, url, config };
        remove.SetAction((parse, ct) => KafkaCli.GuardAsync(async () =>
        {
            await using var db = await KnowledgeCli.OpenAsync(parse.GetValue(url), parse.GetValue(config)?.FullName, ct).ConfigureAwait(false);
            return await RemoveAsync(Store(db), parse.GetValue(sources)!, Console.Out, ct).ConfigureAwait(false);
        }));

        return new Command("runbooks", "Manage the team runbooks cited in analyses.") { add, list, remove };
    }

    private static IRunbookStore Store(KnowledgeDatabase db) => db.IsPostgres ? new PostgresRunbookStore(db) : new SqliteRunbookStore(db);

    public static async Task<int> AddAsync(IRunbookStore store, IReadOnlyList<string> paths, string by, string workingDirectory, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var importer = new RunbookImporter(store, new LogAnalyzer());
        var files = new List<string>();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path, workingDirectory);
            if (Directory.Exists(full))
            {
                files.AddRange(Directory.EnumerateFiles(full, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(full))
            {
                files.Add(full);
            }
            else
            {
                await error.WriteLineAsync($"bifrost runbooks add: {path}: no such file or folder").ConfigureAwait(false);
                return 1;
            }
        }

        if (files.Count == 0)
        {
            await error.WriteLineAsync("bifrost runbooks add: no markdown (*.md) files found").ConfigureAwait(false);
            return 1;
        }

        var total = 0;
        foreach (var file in files)
        {
            var source = Path.GetRelativePath(workingDirectory, file) is var relative && !relative.StartsWith("..", StringComparison.Ordinal) ? relative : file;
            try
            {
                var import = await importer.ImportAsync(source, await File.ReadAllTextAsync(file, ct).ConfigureAwait(false), by, DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
                total += import.Added;
                await output.WriteLineAsync($"added {import.SourcePath}: {import.Added} sections{(import.Removed > 0 ? $" (replaced {import.Removed})" : "")}").ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                await error.WriteLineAsync($"bifrost runbooks add: {source}: {ex.Message.Split(" (Parameter", 2)[0]}").ConfigureAwait(false);
                return 1;
            }
        }

        await output.WriteLineAsync($"{files.Count} file(s), {total} sections").ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> ListAsync(IRunbookStore store, bool sections, TextWriter output, CancellationToken ct)
    {
        if (sections)
        {
            await output.WriteLineAsync($"{"ID",-6} {"CATEGORY",-28} SOURCE › TITLE").ConfigureAwait(false);
            foreach (var s in await store.ListSectionsAsync(null, ct).ConfigureAwait(false))
            {
                await output.WriteLineAsync($"{s.Id,-6} {s.Category ?? "-",-28} {s.SourcePath} › {s.Title}").ConfigureAwait(false);
            }

            return 0;
        }

        await output.WriteLineAsync($"{"SECTIONS",8}  {"ADDED",-20} {"BY",-16} SOURCE").ConfigureAwait(false);
        foreach (var s in await store.ListSourcesAsync(ct).ConfigureAwait(false))
        {
            await output.WriteLineAsync($"{s.Sections,8}  {s.AddedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),-20} {s.AddedBy,-16} {s.SourcePath}").ConfigureAwait(false);
        }

        return 0;
    }

    public static async Task<int> RemoveAsync(IRunbookStore store, IReadOnlyList<string> sources, TextWriter output, CancellationToken ct)
    {
        var missing = 0;
        foreach (var source in sources)
        {
            var path = RunbookImporter.NormalizePath(source);
            var removed = await store.RemoveSourceAsync(path, ct).ConfigureAwait(false);
            missing += removed == 0 ? 1 : 0;
            await output.WriteLineAsync(removed == 0 ? $"not stored: {path}" : $"removed {path}: {removed} sections").ConfigureAwait(false);
        }

        return missing == 0 ? 0 : 1;
    }
}
