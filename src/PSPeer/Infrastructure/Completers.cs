using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>
    /// Tab completion of the session's node names, for every parameter that takes a node (-Name, -Node, -Via,
    /// -IndexServer, -Bootstrap, -Tracker). Where the parameter takes one kind of node, only those are offered:
    /// index servers for -IndexServer, Gnutella servents (Chord peers after -Protocol Chord) for -Bootstrap, trackers for -Tracker, running nodes that
    /// can search for -Via, Chord nodes for the key cmdlets. The tooltip says what each node is.
    /// </summary>
    public sealed class PeerNodeNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var fits = Fits(parameterName, TypedProtocol(fakeBoundParameters));
            // The key cmdlets take Chord nodes only.
            if (commandName != null && (commandName.EndsWith("-PeerKey", StringComparison.OrdinalIgnoreCase) || commandName.EndsWith("-PeerRing", StringComparison.OrdinalIgnoreCase)))
            {
                var inner = fits;
                fits = n => inner(n) && n.Protocol == nameof(PeerProtocol.Chord);
            }
            var nodes = NodeRegistry.GetNodes().Where(fits).ToList();
            return Completion.Matching(nodes.Select(n => n.Name), wordToComplete,
                name => nodes.First(n => n.Name == name) is PeerNode node ? $"{node.Name} ({node.Protocol} {node.Role}, {node.EndPoint ?? node.State.ToString()})" : name);
        }

        /// <summary>The -Protocol already typed on the command line, or null.</summary>
        static string TypedProtocol(IDictionary fakeBoundParameters)
        {
            object typed = fakeBoundParameters?.Contains("Protocol") == true ? fakeBoundParameters["Protocol"] : null;
            if (typed is PSObject pso) typed = pso.BaseObject;
            return typed?.ToString();
        }

        static Func<PeerNode, bool> Fits(string parameterName, string protocol)
        {
            switch (parameterName)
            {
                case "IndexServer": return n => n.Role == nameof(PeerRole.IndexServer) && n.State == NodeState.Running;
                // -Bootstrap: servents for Gnutella, ring members (not clients) for Chord.
                case "Bootstrap" when string.Equals(protocol, nameof(PeerProtocol.Chord), StringComparison.OrdinalIgnoreCase):
                    return n => n.Protocol == nameof(PeerProtocol.Chord) && n.Role == nameof(PeerRole.Peer) && n.State == NodeState.Running;
                case "Bootstrap": return n => n.Protocol == nameof(PeerProtocol.Gnutella) && n.State == NodeState.Running;
                case "Tracker": return n => n.Role == nameof(PeerRole.Tracker) && n.State == NodeState.Running;
                case "Via": return n => n.State == NodeState.Running;
                default: return n => true;
            }
        }
    }

    /// <summary>Tab completion of -Role by the -Protocol already typed (Napster when none is: Start-PeerNode's default).</summary>
    public sealed class PeerRoleCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var protocol = PeerProtocol.Napster;
            object typed = fakeBoundParameters?.Contains("Protocol") == true ? fakeBoundParameters["Protocol"] : null;
            if (typed is PSObject pso) typed = pso.BaseObject;
            if (typed is PeerProtocol p) protocol = p;
            else if (typed != null && Enum.TryParse(typed.ToString(), true, out PeerProtocol parsed)) protocol = parsed;
            return Completion.Matching(NodeFactory.RolesOf(protocol).Select(r => r.ToString()), wordToComplete,
                role => $"{protocol} {role}");
        }
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
                string text = value.IndexOfAny(new[] { ' ', '\'', '$', '(', ')', '{', '}', ';', '`', '"', '#', ',' }) >= 0 ? "'" + value.Replace("'", "''") + "'" : value;
                yield return new CompletionResult(text, value, CompletionResultType.ParameterValue, tooltip(value));
            }
        }
    }
}
