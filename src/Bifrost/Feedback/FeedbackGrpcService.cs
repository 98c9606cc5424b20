using Bifrost.Api.Auth;
using V1 = Bifrost.Api.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Bifrost.Feedback;

/// <summary><c>bifrost.v1.Feedback</c>: a thin layer over <see cref="FeedbackService"/>, as REST is.</summary>
[Authorize(Policy = Policies.Read)]
public sealed class FeedbackGrpcService(FeedbackService feedback, IFeedbackStore store) : V1.Feedback.FeedbackBase
{
    [Authorize(Policy = Policies.Write)]
    public override async Task<V1.FeedbackEntry> Add(V1.AddFeedbackRequest request, ServerCallContext context)
    {
        var (entry, refusal) = await feedback.AddAsync(request.AnalysisId, ToInput(request.Feedback), Author(context), context.CancellationToken).ConfigureAwait(false);
        return entry is null ? throw Refused(refusal!) : ToMessage(entry);
    }

    [Authorize(Policy = Policies.Write)]
    public override async Task<V1.FeedbackEntry> Update(V1.UpdateFeedbackRequest request, ServerCallContext context)
    {
        var (entry, refusal) = await feedback.UpdateAsync(request.Id, ToInput(request.Feedback), Author(context), context.CancellationToken).ConfigureAwait(false);
        return entry is null ? throw Refused(refusal!) : ToMessage(entry);
    }

    [Authorize(Policy = Policies.Write)]
    public override async Task<V1.FeedbackEntry> Withdraw(V1.WithdrawFeedbackRequest request, ServerCallContext context)
    {
        var (entry, refusal) = await feedback.WithdrawAsync(request.Id, Author(context), context.CancellationToken).ConfigureAwait(false);
        return entry is null ? throw Refused(refusal!) : ToMessage(entry);
    }

    public override async Task<V1.FeedbackList> List(V1.ListFeedbackRequest request, ServerCallContext context)
    {
        if (request.Limit is < 0 or > 500) throw new RpcException(new Status(StatusCode.InvalidArgument, "limit: must be between 1 and 500"));
        var page = await store.ListAsync(new FeedbackQuery(
            AnalysisId: request.AnalysisId == 0 ? null : request.AnalysisId,
            Fingerprint: string.IsNullOrEmpty(request.Fingerprint) ? null : request.Fingerprint,
            Limit: request.Limit == 0 ? 50 : request.Limit), context.CancellationToken).ConfigureAwait(false);
        var list = new V1.FeedbackList();
        list.Items.AddRange(page.Items.Select(ToMessage));
        return list;
    }

    private static string Author(ServerCallContext context) => FeedbackApi.Author(context.GetHttpContext().User);

    private static FeedbackInput ToInput(V1.FeedbackInput? input) => input is null
        ? new FeedbackInput()
        : new FeedbackInput(input.Helpful, Empty(input.Category), Empty(input.Severity), input.ServiceSpecific, Empty(input.Note));

    private static string? Empty(string value) => value.Length == 0 ? null : value;

    private static RpcException Refused(FeedbackRefusal refusal) => new(new Status(refusal.Status switch
    {
        404 => StatusCode.NotFound,
        409 => StatusCode.FailedPrecondition,
        _ => StatusCode.InvalidArgument,
    }, refusal.Detail));

    private static V1.FeedbackEntry ToMessage(FeedbackEntry e)
    {
        var message = new V1.FeedbackEntry
        {
            Id = e.Id,
            AnalysisId = e.Subject.AnalysisId,
            Fingerprint = e.Subject.Fingerprint,
            ServiceName = e.Subject.ServiceName,
            AnalysisCategory = e.Subject.Category,
            AnalysisSeverity = e.Subject.Severity,
            Engine = e.Subject.Engine,
            Feedback = new V1.FeedbackInput
            {
                Helpful = e.Input.Helpful,
                Category = e.Input.Category ?? "",
                Severity = e.Input.Severity ?? "",
                ServiceSpecific = e.Input.ServiceSpecific,
                Note = e.Input.Note ?? "",
            },
            Author = e.Author,
            CreatedAt = Timestamp.FromDateTimeOffset(e.CreatedAt),
            UpdatedAt = Timestamp.FromDateTimeOffset(e.UpdatedAt),
            UpdatedBy = e.UpdatedBy,
            WithdrawnBy = e.WithdrawnBy ?? "",
        };
        if (e.WithdrawnAt is { } at)
        {
            message.WithdrawnAt = Timestamp.FromDateTimeOffset(at);
        }

        return message;
    }
}
