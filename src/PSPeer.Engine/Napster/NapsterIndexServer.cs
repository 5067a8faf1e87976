using System;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Napster
{
    /// <summary>The central index: peers log in, share file lists, search; files leave the index with their peer.</summary>
    public sealed class NapsterIndexServer : PeerNodeBase
    {
        public NapsterIndexServer(IPeerRuntime runtime, string name, int port) : base(runtime, name, "Napster", "IndexServer")
        { throw new NotImplementedException(); }

        public int LoggedInPeerCount => throw new NotImplementedException();
        public int IndexedFileCount => throw new NotImplementedException();
        public override int SharedFileCount => IndexedFileCount;

        protected override Task OnStartAsync(CancellationToken cancellationToken) => throw new NotImplementedException();
        protected override Task OnStopAsync() => throw new NotImplementedException();
    }
}
