using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>Tab completion of the session's node names (Get-PeerNode, Stop-PeerNode -Name).</summary>
    public sealed class PeerNodeNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Matching(NodeRegistry.GetNodes().Select(n => n.Name), wordToComplete,
                name => $"{name} ({NodeRegistry.GetNodes().First(n => n.Name == name).Protocol})");
    }

    /// <summary>Tab completion of event types (Watch-PeerEvent -Type).</summary>
    public sealed class PeerEventTypeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Matching(PeerEventTypes.All, wordToComplete, t => t);
    }

    internal static class Completion
    {
        public static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string word, System.Func<string, string> tooltip)
        {
            var pattern = WildcardPattern.Get((word ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            foreach (var value in values.Where(v => pattern.IsMatch(v)))
            {
                string text = value.IndexOfAny(new[] { ' ', '\'', '$', '(', ')', '{', '}', ';', '`', '"', '#' }) >= 0 ? "'" + value.Replace("'", "''") + "'" : value;
                yield return new CompletionResult(text, value, CompletionResultType.ParameterValue, tooltip(value));
            }
        }
    }
}
