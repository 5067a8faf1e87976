using System;
using System.Threading;
using PSPeer.Engine.Gnutella.Wire;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>Ultrapeer-to-ultrapeer QRP: our last-hop table for the other ultrapeers, and theirs to skip them.</summary>
    /// <remarks>
    /// Between ultrapeers that both say X-Ultrapeer-Query-Routing, each sends the other a QRP table of its own files
    /// and its leaves' tables merged. A query that would arrive at an ultrapeer with TTL 1 (its last hop) is not sent to
    /// one whose table cannot match. Here TTL 1 reaches only that ultrapeer's own files (the hop to a leaf counts like
    /// any other), and the merged table is a superset of those, so the skip never loses a hit; the merged table is what
    /// gtk-gnutella and LimeWire send and expect. A table that has not arrived yet skips nothing.
    /// The table is rebuilt a moment after our files or a leaf's table change (changes close together cost one
    /// rebuild), and sent again only when it differs.
    /// </remarks>
    public sealed partial class GnutellaServent
    {
        static readonly TimeSpan UltrapeerTableDelay = TimeSpan.FromSeconds(1);
        // The table sent and the rebuild's timer, locked on the object that holds them, made on first use (RareState): a
        // leaf never builds a table for ultrapeers, and a simulated network holds a servent per node.
        RareState UpTable => Rare;

        bool SpeaksUltrapeerQrp(GnutellaLink link) =>
            !IsLeaf && Options.UltrapeerQueryRouting && link.RemoteIsUltrapeer && link.UltrapeerQueryRouting;

        /// <summary>True when <paramref name="link"/> is another ultrapeer whose last-hop table says it cannot match.</summary>
        bool SkipsLastHop(GnutellaLink link, Query query)
        {
            if (!SpeaksUltrapeerQrp(link)) return false;
            var table = link.QueryRouteTable;
            if (table == null) return false;
            bool may;
            using (Locked(table)) may = table.MayMatch(query);
            return !may;
        }

        /// <summary>Our files and every leaf's table, as one table of Options.QrpTableBits.</summary>
        QueryRouteTable BuildUltrapeerTable()
        {
            var table = new QueryRouteTable(Options.QrpTableBits);
            foreach (var f in _local.Files)
            {
                table.AddFileName(f.Name);
                table.Add(f.ContentHash);
            }
            foreach (var l in Volatile.Read(ref _links))
            {
                if (l.RemoteIsUltrapeer || l.IsClosed) continue;
                var leafTable = l.QueryRouteTable;
                if (leafTable != null) lock (leafTable) table.Merge(leafTable);
            }
            table.Compact();
            return table;
        }

        /// <summary>A new ultrapeer link that speaks last-hop QRP gets our table at once.</summary>
        void SendUltrapeerTable(GnutellaLink link)
        {
            QueryRouteTable table;
            var state = UpTable;
            lock (state) table = state.UpTableSent ?? (state.UpTableSent = BuildUltrapeerTable());
            SendTable(link, table);
        }

        /// <summary>Sends <paramref name="table"/> (ours, or our last-hop table) as a reset and its patches.</summary>
        void SendTable(GnutellaLink link, QueryRouteTable table)
        {
            // The table's own payloads of its updates, only read here (see QueryRouteTable.SharedUpdatePayloads): each
            // goes out behind a header with a GUID of its own, from the thread's frame.
            var payloads = table.SharedUpdatePayloads(QrpPatchBytes);
            for (int i = 0; i < payloads.Length; i++)
            {
                var header = new DescriptorHeader(GnutellaGuid.New(Runtime.Random), GnutellaPayloadType.RouteTableUpdate, 1, 0, payloads[i].Length);
                OutgoingFrame.Send(link, header, payloads[i], GnutellaPayloadType.RouteTableUpdate);
            }
        }

        /// <summary>Our files or a leaf's table changed: in a moment, rebuild our last-hop table and send it if it differs.</summary>
        void UltrapeerTableChanged()
        {
            if (IsLeaf || !Options.UltrapeerQueryRouting) return;
            var state = UpTable;
            lock (state)
            {
                if (state.UpTableTimer != null || Stopping.IsCancellationRequested) return;
                state.UpTableTimer = Runtime.Clock.Schedule(UltrapeerTableDelay, ResendUltrapeerTable);
            }
        }

        void ResendUltrapeerTable()
        {
            QueryRouteTable table;
            var state = UpTable;
            lock (state)
            {
                state.UpTableTimer = null;
                if (Stopping.IsCancellationRequested) return;
                table = BuildUltrapeerTable();
                if (state.UpTableSent != null && state.UpTableSent.SameSlots(table)) return;
                state.UpTableSent = table;
            }
            foreach (var l in Volatile.Read(ref _links))
                if (SpeaksUltrapeerQrp(l) && !l.IsClosed) SendTable(l, table);
        }
    }
}
