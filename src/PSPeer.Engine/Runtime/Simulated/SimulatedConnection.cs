using System.IO;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>One end of a connection between two simulated hosts; disposing it closes its stream.</summary>
    sealed class SimulatedConnection : IConnection
    {
        readonly SimulatedStream _stream;

        public SimulatedConnection(SimulatedStream stream, string localEndPoint, string remoteEndPoint)
        {
            _stream = stream;
            LocalEndPoint = localEndPoint;
            RemoteEndPoint = remoteEndPoint;
        }

        public Stream Stream => _stream;
        internal SimulatedStream SimulatedStream => _stream;
        public string LocalEndPoint { get; }
        public string RemoteEndPoint { get; }
        public void Dispose() => _stream.Dispose();
        public override string ToString() => $"{LocalEndPoint} -> {RemoteEndPoint}";
    }
}
