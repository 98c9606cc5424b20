namespace Bifrost.Bench;

/// <summary>
/// Grouping accuracy (GA: share of lines whose predicted group holds exactly the lines of their true group) and
/// FGA (F1 over groups: a predicted group counts when it equals a true group), as defined in the loghub README.
/// </summary>
internal static class GroupingScore
{
    public static (double Ga, double Fga) Compute<TPredicted>(IReadOnlyList<TPredicted> predicted, IReadOnlyList<string> truth)
        where TPredicted : notnull
    {
        var predictedGroups = Group(predicted);
        var trueGroups = Group(truth);
        int correctLines = 0, correctGroups = 0;
        foreach (var members in predictedGroups.Values)
        {
            var trueMembers = trueGroups[truth[members[0]]];
            if (trueMembers.Count == members.Count && members.All(i => truth[i] == truth[members[0]]))
            {
                correctLines += members.Count;
                correctGroups++;
            }
        }

        var precision = (double)correctGroups / predictedGroups.Count;
        var recall = (double)correctGroups / trueGroups.Count;
        var fga = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return ((double)correctLines / truth.Count, fga);
    }

    private static Dictionary<T, List<int>> Group<T>(IReadOnlyList<T> labels)
        where T : notnull
    {
        var groups = new Dictionary<T, List<int>>();
        for (var i = 0; i < labels.Count; i++)
        {
            if (!groups.TryGetValue(labels[i], out var members))
            {
                groups[labels[i]] = members = [];
            }

            members.Add(i);
        }

        return groups;
    }
}
