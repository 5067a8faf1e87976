using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Core;

namespace PSPeer.Dashboard
{
    /// <summary>
    /// A Chord system as the "ring" layout draws it: each node at its id's place on the identifier circle
    /// (id / 2^160, clockwise from the top), in id order, linked to its successor, with its distinct fingers for the
    /// page to show when the node is selected. Read from the nodes' routing state as it is now, so a ring that is still
    /// stabilising redraws as its successors settle.
    /// </summary>
    internal static class DashboardChord
    {
        const double Circle = 1461501637330902918203684832716283019655932542976.0;   // 2^160

        /// <summary>Where <paramref name="node"/> sits on the circle (0..1), or null for a node without an id yet.</summary>
        public static double? RingPosition(PeerNodeBase node) =>
            node is ChordNode chord && chord.Self != null ? ChordId.Zero.DistanceTo(chord.Self.Id) / Circle : (double?)null;

        /// <summary>The index of each node by its id, for following contacts to the nodes they name.</summary>
        public static Dictionary<ChordId, int> IndexById(IReadOnlyList<PeerNodeBase> nodes)
        {
            var index = new Dictionary<ChordId, int>(nodes.Count);
            for (int i = 0; i < nodes.Count; i++)
                if (nodes[i] is ChordNode chord && chord.Self != null) index[chord.Self.Id] = i;
            return index;
        }

        /// <summary>The nodes <paramref name="node"/> routes through (successors, then fingers), by index, for sampling.</summary>
        public static IEnumerable<int> Neighbours(IReadOnlyList<PeerNodeBase> nodes, Dictionary<ChordId, int> index, int node)
        {
            if (!(nodes[node] is ChordNode chord)) yield break;
            foreach (var contact in chord.Successors.Concat(chord.Fingers))
                if (contact != null && index.TryGetValue(contact.Id, out int next) && next != node) yield return next;
        }

        /// <summary>
        /// Orders the shown nodes by id, gives each its ring position, links each to its first successor that is
        /// shown, and lists each node's distinct shown fingers.
        /// </summary>
        public static void Arrange(DashboardSystem system)
        {
            var ordered = system.Shown.Select(n => (Node: n, At: RingPosition(n) ?? 0)).OrderBy(p => p.At).ToList();
            system.Shown.Clear();
            system.Shown.AddRange(ordered.Select(p => p.Node));
            system.RingPositions = ordered.Select(p => p.At).ToList();
            system.Links.Clear();
            system.Fingers = new List<int[]>(ordered.Count);
            var index = IndexById(system.Shown);
            for (int i = 0; i < system.Shown.Count; i++)
            {
                var chord = system.Shown[i] as ChordNode;
                if (chord == null) { system.Fingers.Add(Array.Empty<int>()); continue; }
                foreach (var successor in chord.Successors)
                    if (successor != null && index.TryGetValue(successor.Id, out int s))
                    {
                        if (s != i) system.Links.Add(new[] { i, s });
                        break;
                    }
                system.Fingers.Add(chord.Fingers
                    .Select(f => f != null && index.TryGetValue(f.Id, out int at) ? at : -1)
                    .Where(at => at >= 0 && at != i).Distinct().ToArray());
            }
        }

        /// <summary>The node's address as its contacts carry it (a lookup's path names nodes this way), or null.</summary>
        public static string EndPointOf(PeerNodeBase node) => (node as ChordNode)?.Self?.EndPoint.ToString();
    }
}
