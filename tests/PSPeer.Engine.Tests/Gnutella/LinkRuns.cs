using System;
using System.Threading.Tasks;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>Runs a link's read loop on its own and hands back how it ended (a servent would get it in OnLinkEnded).</summary>
    static class LinkRuns
    {
        public static Task<LinkEnd> RunToEndAsync(this GnutellaLink link, Action<GnutellaLink, GnutellaMessage> onMessage)
        {
            var owner = new Owner(onMessage);
            link.Start(owner);
            return owner.Ended.Task;
        }

        sealed class Owner : ILinkOwner
        {
            readonly Action<GnutellaLink, GnutellaMessage> _onMessage;
            public readonly TaskCompletionSource<LinkEnd> Ended = new TaskCompletionSource<LinkEnd>();
            public Owner(Action<GnutellaLink, GnutellaMessage> onMessage) => _onMessage = onMessage;
            public void OnMessage(GnutellaLink link, GnutellaMessage message) => _onMessage(link, message);
            public Task OnLinkEnded(GnutellaLink link, LinkEnd end)
            {
                Ended.TrySetResult(end);
                return Task.CompletedTask;
            }
        }
    }
}
