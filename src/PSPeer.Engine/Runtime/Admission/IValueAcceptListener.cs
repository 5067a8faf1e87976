using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Runtime.Admission
{
    /// <summary>
    /// A listener that can accept without a task per accept (the simulated listener: its waiting accept is the listener
    /// itself). The admission gate's accept loop asks for it and falls back to IListener.AcceptAsync.
    /// </summary>
    /// <remarks>
    /// One value accept at a time, each returned ValueTask awaited once. It ends as AcceptAsync would: a connection, or
    /// ObjectDisposedException once the listener is closed, or OperationCanceledException when the token is cancelled.
    /// </remarks>
    interface IValueAcceptListener
    {
        ValueTask<IConnection> AcceptValueAsync(CancellationToken cancellationToken);
    }
}
