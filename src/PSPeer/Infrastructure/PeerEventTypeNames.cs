using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>
    /// Every event type name a node can emit, for -Type validation and completion: the constants of PeerEventTypes
    /// (read by reflection, so a type added there is known here without a second list to keep in step).
    /// </summary>
    internal static class PeerEventTypeNames
    {
        public static readonly IReadOnlyList<string> All = typeof(PeerEventTypes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue())
            .Concat(PeerEventTypes.All)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();

        /// <summary>Whether <paramref name="typeOrPattern"/> (a name or a wildcard) names at least one known type.</summary>
        public static bool Matches(string typeOrPattern)
        {
            var pattern = WildcardPattern.Get(typeOrPattern, WildcardOptions.IgnoreCase);
            return All.Any(pattern.IsMatch);
        }
    }
}
