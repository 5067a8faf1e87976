using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Runtime
{
    /// <summary>Reliable ordered byte streams between hosts (TCP live; in-memory links in a simulation).</summary>
    public interface ITransport
    {
        /// <summary>Listens on <paramref name="port"/> (0 = any free port). Throws PeerException PortInUse when taken.</summary>
        Task<IListener> ListenAsync(int port, CancellationToken cancellationToken = default);
        /// <summary>Connects; throws PeerException PeerUnreachable naming host:port when nobody answers.</summary>
        Task<IConnection> ConnectAsync(string host, int port, CancellationToken cancellationToken = default);
    }

    public interface IListener : IDisposable
    {
        int Port { get; }
        /// <summary>"host:port" as other hosts reach it.</summary>
        string EndPoint { get; }
        /// <summary>Next incoming connection; throws ObjectDisposedException/OperationCanceledException once closed.</summary>
        Task<IConnection> AcceptAsync(CancellationToken cancellationToken = default);
    }

    public interface IConnection : IDisposable
    {
        /// <summary>
        /// The byte stream. Use only ReadAsync/WriteAsync(byte[], int, int, CancellationToken) and FlushAsync:
        /// the simulated stream implements exactly those without threads.
        /// </summary>
        Stream Stream { get; }
        string LocalEndPoint { get; }
        string RemoteEndPoint { get; }
    }
}
