using System;
using PSPeer.Engine.Runtime.Admission;

namespace PSPeer
{
    /// <summary>
    /// A node's limits as a user sees them (PeerNode.Limits): plain values that ConvertTo-Json and Export-Csv show whole.
    /// Setting a property changes the running node's limits for new connections, as setting the engine's would; the
    /// process-wide descriptor budget is shown as text, since it is shared by every node and not this node's to change.
    /// </summary>
    public sealed class PeerNodeLimits
    {
        readonly ConnectionLimits _limits;
        internal PeerNodeLimits(ConnectionLimits limits) => _limits = limits ?? throw new ArgumentNullException(nameof(limits));

        public int MaxConnections { get => _limits.MaxConnections; set => _limits.MaxConnections = value; }
        public int MaxConnectionsPerAddress { get => _limits.MaxConnectionsPerAddress; set => _limits.MaxConnectionsPerAddress = value; }
        public TimeSpan HandshakeTimeout { get => _limits.HandshakeTimeout; set => _limits.HandshakeTimeout = value; }
        public TimeSpan MessageTimeout { get => _limits.MessageTimeout; set => _limits.MessageTimeout = value; }
        public int MaxUploads { get => _limits.MaxUploads; set => _limits.MaxUploads = value; }
        public long MinUploadRate { get => _limits.MinUploadRate; set => _limits.MinUploadRate = value; }
        public TimeSpan SlowUploadWindow { get => _limits.SlowUploadWindow; set => _limits.SlowUploadWindow = value; }
        /// <summary>The process-wide descriptor budget: in use / capacity, and the open-file limit it stays under.</summary>
        public string Descriptors => (_limits.DescriptorBudget ?? DescriptorBudget.Process).ToString();

        public override string ToString() =>
            $"{MaxConnections} connections, {MaxConnectionsPerAddress} per address, handshake {HandshakeTimeout.TotalSeconds:0.##} s, " +
            $"message {MessageTimeout.TotalSeconds:0.##} s, {MaxUploads} uploads, min {MinUploadRate} B/s over {SlowUploadWindow.TotalSeconds:0.##} s";
    }
}
