using System.Linq;
using System.Management.Automation;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>
    /// Event type names as the cmdlets take them: -Type's wildcards. The names themselves are PeerEventTypes.All (read
    /// from its constants: the one list).
    /// </summary>
    internal static class PeerEventTypeNames
    {
        /// <summary>Whether <paramref name="typeOrPattern"/> (a name or a wildcard) names at least one known type.</summary>
        public static bool Matches(string typeOrPattern)
        {
            var pattern = WildcardPattern.Get(typeOrPattern, WildcardOptions.IgnoreCase);
            return PeerEventTypes.All.Any(pattern.IsMatch);
        }
    }
}
