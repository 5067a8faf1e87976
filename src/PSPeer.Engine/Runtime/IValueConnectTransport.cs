using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Runtime
{
    /// <summary>
    /// A transport that can dial without a task per dial (the simulated one: the attempt in flight is the ValueTask's
    /// source). Code that dials very often asks for it and falls back to ITransport.ConnectAsync.
    /// </summary>
    /// <remarks>Ends as ConnectAsync would; the returned ValueTask is awaited once.</remarks>
    interface IValueConnectTransport
    {
        ValueTask<IConnection> ConnectValueAsync(string host, int port, CancellationToken cancellationToken = default);
    }
}
