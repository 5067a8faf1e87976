namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// Running totals of what crossed the simulated network, for measurements (messages, bytes, failures) without
    /// instrumenting protocol code. Read them on the loop or while the simulation is idle.
    /// </summary>
    public sealed class SimulationStatistics
    {
        internal long connectionsOpened, connectsRefused, resets, segmentsSent, bytesSent, retransmissions;
        internal long datagramsSent, datagramsDelivered, datagramsLost, datagramsDropped;

        /// <summary>Connection attempts that reached a listener.</summary>
        public long ConnectionsOpened => connectionsOpened;
        /// <summary>Connection attempts that failed (no host, host down, partitioned, nothing listening, backlog full).</summary>
        public long ConnectsRefused => connectsRefused;
        /// <summary>Connection ends that were reset (partition, crash, data sent to a closed end, listener closed).</summary>
        public long Resets => resets;
        public long SegmentsSent => segmentsSent;
        /// <summary>Payload bytes written to connections.</summary>
        public long BytesSent => bytesSent;
        /// <summary>Segments that were lost at least once and sent again (each loss counted).</summary>
        public long Retransmissions => retransmissions;

        /// <summary>Datagrams handed to a socket's Send.</summary>
        public long DatagramsSent => datagramsSent;
        /// <summary>Datagrams handed to a receiver.</summary>
        public long DatagramsDelivered => datagramsDelivered;
        /// <summary>Datagrams lost on a lossy link.</summary>
        public long DatagramsLost => datagramsLost;
        /// <summary>Datagrams that arrived nowhere: no such address, host down, partitioned away, nothing bound to the port.</summary>
        public long DatagramsDropped => datagramsDropped;

        public override string ToString() =>
            $"{ConnectionsOpened} connections, {ConnectsRefused} refused, {Resets} resets, {SegmentsSent} segments, {BytesSent} bytes, {Retransmissions} retransmissions" +
            (DatagramsSent == 0 ? "" : $", {DatagramsSent} datagrams sent, {DatagramsDelivered} delivered, {DatagramsLost} lost, {DatagramsDropped} dropped");
    }
}
