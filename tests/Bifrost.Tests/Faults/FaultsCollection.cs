namespace Bifrost.Tests.Faults;

/// <summary>
/// Fault tests stop and restart the shared broker and database, cut networks and kill processes: they run
/// alone (xunit runs non-parallel collections after all parallel ones), one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultsCollection
{
    public const string Name = "Faults";
}
