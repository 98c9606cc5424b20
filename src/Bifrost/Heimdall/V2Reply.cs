namespace Bifrost.Heimdall;

/// <summary>
/// Whom a release-2 result answers: the job being answered now. A repeated idempotency key is answered with the stored
/// analysis under the NEW job's id and trace (Heimdall matches results by job_id: the stored job's id would update a
/// job that is already done and leave the new one RUNNING).
/// </summary>
public sealed record V2Reply(string JobId, string? TraceId, long LogId)
{
    public static V2Reply For(V2Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new V2Reply(job.JobId, job.TraceId, job.LogId);
    }
}
