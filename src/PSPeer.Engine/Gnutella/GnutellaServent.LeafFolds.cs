using System.Threading;
using PSPeer.Engine.Gnutella.Wire;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// Ultrapeer: each leaf link is kept with its QRP table folded into one word, and a query reads a leaf's link and
    /// table only when that word may match.
    /// </summary>
    /// <remarks>
    /// Passing a query down meant reading each leaf's link, its table and the table's slots: three cache misses a leaf,
    /// for every query an ultrapeer routes, in a network far larger than the caches, while most leaves share nothing and
    /// few match. A fold (<see cref="QueryRouteTable.Fold"/>) matches whatever its table may match, so a leaf it rules out
    /// is counted filtered exactly as its table would have had it; a leaf without a table, or with an empty one, folds to
    /// 0 and is never read. The folds sit in the array of leaf links itself (<see cref="LeafLink"/>), which is replaced
    /// whole under _gate (copy on write) when a leaf comes or goes or its table completes: a live reader never sees half
    /// a change, and a query racing a leaf's new table sees the table before it, as it would had it come a moment earlier.
    /// </remarks>
    public sealed partial class GnutellaServent
    {
        /// <summary>A leaf link and its QRP table's fold (0: no table, or nothing in it).</summary>
        internal readonly struct LeafLink
        {
            public LeafLink(GnutellaLink link, ulong fold) { Link = link; Fold = fold; }
            public readonly GnutellaLink Link;
            public readonly ulong Fold;
        }

        static readonly LeafLink[] NoLeaves = new LeafLink[0];
        LeafLink[] _leaves = NoLeaves;   // the leaf links, in the order of _links; copy-on-write under _gate

        /// <summary>Under _gate: the leaf links are now those of <paramref name="links"/>, each with its table's fold.</summary>
        void SetLeaves(GnutellaLink[] links, int count)
        {
            var before = _leaves;
            var leaves = count == 0 ? NoLeaves : new LeafLink[count];
            int n = 0;
            foreach (var l in links) if (l.RemoteIsLeaf) leaves[n++] = new LeafLink(l, FoldKept(before, l));
            Volatile.Write(ref _leaves, leaves);
        }

        // A leaf that stays keeps the fold it has (LeafTableChanged keeps it current); a new one's is taken.
        ulong FoldKept(LeafLink[] before, GnutellaLink leaf)
        {
            foreach (var b in before) if (b.Link == leaf) return b.Fold;
            return FoldOf(leaf);
        }

        /// <summary>A leaf's table is complete (new or replaced): its fold in the leaf array follows it.</summary>
        void LeafTableChanged(GnutellaLink leaf)
        {
            using (Locked(_gate))
            {
                var leaves = _leaves;
                int at = -1;
                for (int i = 0; i < leaves.Length; i++) if (leaves[i].Link == leaf) at = i;
                if (at < 0) return;   // gone meanwhile
                ulong fold = FoldOf(leaf);
                if (fold == leaves[at].Fold) return;
                var changed = (LeafLink[])leaves.Clone();
                changed[at] = new LeafLink(leaf, fold);
                Volatile.Write(ref _leaves, changed);
            }
        }

        ulong FoldOf(GnutellaLink leaf)
        {
            var table = leaf.QueryRouteTable;
            if (table == null) return 0;
            using (Locked(table)) return table.Fold();
        }

        // A flood brings the same query object (GnutellaCodec shares equal copies) to ultrapeer after ultrapeer on the
        // loop's thread: its fold is kept for the next.
        [System.ThreadStatic] static Query t_foldedQuery;
        [System.ThreadStatic] static QueryRouteTable.FoldedQuery t_fold;

        static QueryRouteTable.FoldedQuery FoldOf(Query query)
        {
            if (!ReferenceEquals(query, t_foldedQuery))
            {
                t_fold = QueryRouteTable.FoldedQuery.Of(query);
                t_foldedQuery = query;
            }
            return t_fold;
        }

        /// <summary>False when no leaf's QRP table can match <paramref name="query"/> (true: some leaf's table is to be asked).</summary>
        internal bool LeavesMayMatch(Query query)
        {
            var fold = FoldOf(query);
            foreach (var leaf in Volatile.Read(ref _leaves)) if (fold.MayMatch(leaf.Fold)) return true;
            return false;
        }
    }
}
