using Bifrost.Analysis;

namespace Bifrost.Analysis.Tests;

public class IncidentTests
{
    [Fact]
    public void AnalyzeIncidents_GroupsByFingerprintMostImportantFirst()
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < 30; i++)
        {
            sb.Append("2024-05-01 10:00:").Append((i % 60).ToString("00", System.Globalization.CultureInfo.InvariantCulture)).Append(" INFO  served request ").Append(i).Append('\n');
            if (i % 5 == 0)
            {
                sb.Append("2024-05-01 10:00:").Append((i % 60).ToString("00", System.Globalization.CultureInfo.InvariantCulture)).Append(" WARN  call to ledger failed: java.net.SocketTimeoutException: Read timed out after ").Append(1000 + i).Append(" ms\n");
            }
        }

        sb.Append("2024-05-01 10:01:00 ERROR java.io.IOException: No space left on device\n");
        var incidents = new LogAnalyzer().AnalyzeIncidents(sb.ToString(), "ledger-client", "production");
        Assert.Equal(2, incidents.Count);
        Assert.Equal("resource.disk", incidents[0].Report.Category);
        Assert.Equal(Severity.CRITICAL, incidents[0].Report.Severity);
        var timeouts = incidents[1];
        Assert.Equal("network.timeout", timeouts.Report.Category);
        Assert.Equal(6, timeouts.Count);
        Assert.Equal("2024-05-01 10:00:00", timeouts.FirstSeen);
        Assert.Equal("2024-05-01 10:00:25", timeouts.LastSeen);
    }

    [Fact]
    public void AnalyzeIncidents_UsesLineNumbersWhenLinesHaveNoTimestamps()
    {
        var incidents = new LogAnalyzer().AnalyzeIncidents("starting\nERROR: deadlock detected\nok\nERROR: deadlock detected\n");
        var incident = Assert.Single(incidents);
        Assert.Equal("line 2", incident.FirstSeen);
        Assert.Equal("line 4", incident.LastSeen);
        Assert.Equal(2, incident.Count);
    }

    [Fact]
    public void AnalyzeIncidents_ProcessTerminationRanksAboveMoreFrequentRequestErrors()
    {
        // issue 15: "Terminating due to java.lang.OutOfMemoryError" was listed below three NullPointerExceptions
        var log = string.Join('\n',
            "2024-05-01 10:00:01 ERROR [http-nio-8080-exec-1] c.e.UserController failed",
            "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"name\" is null",
            "\tat com.example.web.UserController.show(UserController.java:42)",
            "2024-05-01 10:00:02 ERROR [http-nio-8080-exec-2] c.e.UserController failed",
            "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"name\" is null",
            "\tat com.example.web.UserController.show(UserController.java:42)",
            "2024-05-01 10:00:03 ERROR [http-nio-8080-exec-3] c.e.UserController failed",
            "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"name\" is null",
            "\tat com.example.web.UserController.show(UserController.java:42)",
            "Terminating due to java.lang.OutOfMemoryError: Java heap space");
        var incidents = new LogAnalyzer().AnalyzeIncidents(log, "orders", "production");
        Assert.Equal("resource.memory", incidents[0].Report.Category);
        Assert.Equal(Severity.CRITICAL, incidents[0].Report.Severity);
        Assert.Contains("Terminating due to java.lang.OutOfMemoryError", incidents[0].Report.Summary, StringComparison.Ordinal);
        var npe = Assert.Single(incidents, i => i.Report.Category == "code.null_reference");
        Assert.Equal(3, npe.Count);
        Assert.Equal(Severity.HIGH, npe.Report.Severity);
    }
}
