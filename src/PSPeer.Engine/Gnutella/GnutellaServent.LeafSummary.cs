using System;
using System.Threading;
using PSPeer.Engine.Gnutella.Wire;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// Ultrapeer: every leaf's QRP table folded into one small table, asked before the leaves are: a query it cannot match
    /// reaches no leaf, and then no leaf link nor leaf table is read at all.
    /// </summary>
    /// <remarks>
    /// Passing a query down meant reading each leaf's link, its table and the table's slots: three cache misses a leaf,
    /// for every query an ultrapeer routes, in a network far larger than the caches, while most leaves share nothing and
    /// few match. The QRP hash keeps a keyword's top bits, so a slot of a leaf's table lands on exactly one slot of a
    /// smaller table (<see cref="QueryRouteTable.Merge"/>), and the summary is a superset of every leaf table: when it
    /// cannot match, no leaf can. It only grows as leaves' tables complete, and is made again from the remaining leaves
    /// when a leaf with a table leaves. Replaced whole (copy on write), so a live reader never sees half a change; a
    /// query racing a leaf's new table sees the table before it, as it would had it come a moment earlier.
    /// </remarks>
    public sealed partial class GnutellaServent
    {
        // 256 slots: 32 bytes of bits, and a false match only when every keyword of a query lands on a slot of one of
        // the leaves' few dozen keywords. A bare bit set (no table object in front of it): one array to read per query.
        const int LeafSummaryBits = 8;
        ulong[] _leafSummary;   // null: no leaf has a table with a present slot

        /// <summary>False when no leaf's QRP table can match <paramref name="query"/> (true: ask each leaf).</summary>
        internal bool LeavesMayMatch(Query query)
        {
            var summary = Volatile.Read(ref _leafSummary);
            return summary != null && QueryRouteTable.MayMatch(summary, LeafSummaryBits, query);
        }

        /// <summary>A leaf's table is complete (new or replaced): the summary takes its slots in.</summary>
        void AddToLeafSummary(QueryRouteTable table)
        {
            using (Locked(_gate))
            {
                ulong[] grown;
                using (Locked(table))
                {
                    if (table.PresentCount == 0) return;
                    grown = _leafSummary == null ? NewLeafSummary() : (ulong[])_leafSummary.Clone();
                    table.MergeInto(grown, LeafSummaryBits);
                }
                Volatile.Write(ref _leafSummary, grown);
            }
        }

        /// <summary>A leaf with a table left: the summary is made again from the leaves that stay.</summary>
        void RebuildLeafSummary()
        {
            using (Locked(_gate))
            {
                ulong[] summary = null;
                foreach (var leaf in Volatile.Read(ref _leafLinks))
                {
                    var table = leaf.QueryRouteTable;
                    if (table == null) continue;
                    using (Locked(table))
                    {
                        if (table.PresentCount == 0) continue;
                        table.MergeInto(summary ?? (summary = NewLeafSummary()), LeafSummaryBits);
                    }
                }
                Volatile.Write(ref _leafSummary, summary);
            }
        }

        static ulong[] NewLeafSummary() => new ulong[(1 << LeafSummaryBits) / 64];
    }
}
