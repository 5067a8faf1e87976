using System.Net;
using System.Reactive.Concurrency;

namespace PSPeer.Engine.Runtime.Live
{
    /// <summary>
    /// The real world: TCP and UDP sockets on one local address, the system clock, the file system. Listeners and
    /// sockets bind <see cref="BindAddress"/> (127.0.0.1 by default; 0.0.0.0 or :: for every address), outgoing
    /// connections and datagrams leave from it, and <see cref="HostAddress"/> is what peers are told: the external
    /// address when one is given, and never the wildcard.
    /// </summary>
    public sealed class LiveRuntime : IPeerRuntime
    {
        /// <summary>Loopback, the default for every live node.</summary>
        public static readonly LiveRuntime Loopback = new LiveRuntime("127.0.0.1");

        public LiveRuntime(string hostAddress, int? seed = null) : this(hostAddress, null, seed) { }

        /// <summary>
        /// A runtime bound to <paramref name="bindAddress"/> that tells peers <paramref name="externalAddress"/> (null: the
        /// bound address, or for a wildcard the local address of the route out). Throws PeerException AddressNotAvailable
        /// for text that is not an IP address.
        /// </summary>
        public LiveRuntime(string bindAddress, string externalAddress, int? seed = null)
        {
            var bind = LocalAddresses.Parse(bindAddress, "-Address");
            var external = externalAddress == null ? null : LocalAddresses.Parse(externalAddress, "-ExternalAddress");
            BindAddress = bind.ToString();
            ExternalAddress = external?.ToString();
            HostAddress = LocalAddresses.Advertised(bind, external).ToString();
            Transport = new TcpTransport(bind, HostAddress);
            Datagrams = new UdpTransport(bind, HostAddress);
            Random = new SeededRandom(seed ?? FreshSeed());
        }

        /// <summary>
        /// An unpredictable seed. Not Environment.TickCount: processes started in the same millisecond (a script that
        /// launches four leechers at once) then drew the same BitTorrent peer ids and Gnutella GUIDs, and peers dropped
        /// each other as duplicates or as connections to themselves.
        /// </summary>
        static int FreshSeed()
        {
            var bytes = new byte[4];
            using (var rng = System.Security.Cryptography.RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            return System.BitConverter.ToInt32(bytes, 0);
        }

        public IClock Clock { get; } = new SystemClock();
        public IRandomSource Random { get; }
        public ITransport Transport { get; }
        public IDatagramTransport Datagrams { get; }
        public IFileStorage Storage { get; } = new DiskStorage();
        public IScheduler Scheduler => DefaultScheduler.Instance;
        /// <summary>The address peers are told (never the wildcard).</summary>
        public string HostAddress { get; }
        /// <summary>The local address sockets bind ("0.0.0.0" or "::" for all).</summary>
        public string BindAddress { get; }
        /// <summary>The -ExternalAddress given, or null.</summary>
        public string ExternalAddress { get; }
        public bool IsSimulated => false;
    }
}
