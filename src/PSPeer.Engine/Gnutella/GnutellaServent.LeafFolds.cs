using System;
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
    /// 0 and is never read. The folds sit in the array of leaf links itself (<see cref="LeafLink"/>): the leaves in
    /// order, then empty entries (a reader stops at the first entry without a link, or at the end). A new leaf is
    /// written into the next empty entry (the array doubles when full), which a live reader either sees whole or not at
    /// all; a leaf that goes, or (live) whose table completes, gets a new array under _gate (copy on write), so a live
    /// reader never sees half a change, and a query racing a leaf's new table sees the table before it, as it would had
    /// it come a moment earlier. A simulated servent's new fold is written in place (its loop is the only reader).
    /// </remarks>
    public sealed partial class GnutellaServent
    {
        /// <summary>A leaf link and its QRP table's fold (0: no table, or nothing in it).</summary>
        /// <remarks>Fields, not get-only: a new leaf is written into an array live readers walk, its link last (AddLeaf).</remarks>
        internal struct LeafLink
        {
            public LeafLink(GnutellaLink link, ulong fold) { Link = link; Fold = fold; }
            public GnutellaLink Link;
            public ulong Fold;
        }

        static readonly LeafLink[] NoLeaves = new LeafLink[0];
        LeafLink[] _leaves = NoLeaves;   // the leaf links, in the order of _links, then empty entries; changed under _gate

        /// <summary>Under _gate: <paramref name="leaf"/> joins the leaf links, with its table's fold, at their end.</summary>
        void AddLeaf(GnutellaLink leaf)
        {
            var leaves = _leaves;
            int count = LeavesIn(leaves);
            var entry = new LeafLink(leaf, FoldOf(leaf));
            if (count < leaves.Length)
            {
                // The fold first, then the link: a reader that sees the link sees its fold (a 16-byte entry is not
                // written in one piece).
                leaves[count].Fold = entry.Fold;
                Volatile.Write(ref leaves[count].Link, leaf);
                return;
            }
            var grown = new LeafLink[Math.Max(4, count * 2)];
            Array.Copy(leaves, grown, count);
            grown[count] = entry;
            Volatile.Write(ref _leaves, grown);
        }

        /// <summary>Under _gate: <paramref name="leaf"/> leaves the leaf links (a new array, the same room).</summary>
        void DropLeaf(GnutellaLink leaf)
        {
            var leaves = _leaves;
            int count = LeavesIn(leaves);
            int at = -1;
            for (int i = 0; i < count; i++) if (leaves[i].Link == leaf) at = i;
            if (at < 0) return;
            var shrunk = count == 1 ? NoLeaves : new LeafLink[leaves.Length];
            Array.Copy(leaves, 0, shrunk, 0, at);
            Array.Copy(leaves, at + 1, shrunk, at, count - at - 1);
            Volatile.Write(ref _leaves, shrunk);
        }

        /// <summary>How many leaf links <paramref name="leaves"/> holds before its first empty entry.</summary>
        static int LeavesIn(LeafLink[] leaves)
        {
            int n = 0;
            while (n < leaves.Length && leaves[n].Link != null) n++;
            return n;
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
                if (!_locks)
                {
                    // A simulated servent's one thread: no reader can meet the fold half-written.
                    leaves[at].Fold = fold;
                    return;
                }
                // Live, a reader may be walking the array (and a 64-bit word is not written in one piece everywhere).
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
            foreach (var leaf in Volatile.Read(ref _leaves))
            {
                if (leaf.Link == null) break;
                if (fold.MayMatch(leaf.Fold)) return true;
            }
            return false;
        }
    }
}
