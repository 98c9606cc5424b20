using System.Reflection;

namespace Bifrost.Telemetry;

/// <summary>
/// The build's version: the informational version MSBuild stamps on the assembly. Inside a git checkout the
/// SDK appends the commit (SourceRevisionId from Source Link), e.g. <c>0.1.0+3f2c1ab...</c>.
/// </summary>
public static class BuildInfo
{
    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(BuildInfo).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";
}
