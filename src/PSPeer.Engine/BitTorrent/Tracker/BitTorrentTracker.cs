using System;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>An open HTTP tracker (BEP 3, compact peers BEP 23, scrape).</summary>
    public sealed class BitTorrentTracker : PeerNodeBase
    {
        readonly int _port;
        readonly TrackerOptions _options;

        public BitTorrentTracker(IPeerRuntime runtime, string name, int port, TrackerOptions options = null)
            : base(runtime, name, "BitTorrent", "Tracker")
        {
            if (port < 0 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "A port is 0 to 65535.");
            _port = port;
            _options = options ?? new TrackerOptions();
            _options.Validate();
        }

        public TrackerOptions Options => _options;
        /// <summary>"http://host:port/announce" once started.</summary>
        public string AnnounceUrl => EndPoint == null ? null : "http://" + EndPoint + "/announce";
        /// <summary>Torrents with at least one live peer (or a download count).</summary>
        public int SwarmCount => throw new NotImplementedException();

        protected override Task OnStartAsync(CancellationToken cancellationToken) => throw new NotImplementedException();
        protected override Task OnStopAsync() => throw new NotImplementedException();
    }
}
