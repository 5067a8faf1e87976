using System.Reactive.Concurrency;

namespace PSPeer.Engine.Runtime.Live
{
    /// <summary>The real world: TCP and UDP sockets, the system clock, the file system.</summary>
    public sealed class LiveRuntime : IPeerRuntime
    {
        /// <summary>Loopback, the default for every live node.</summary>
        public static readonly LiveRuntime Loopback = new LiveRuntime("127.0.0.1");

        public LiveRuntime(string hostAddress, int? seed = null)
        {
            HostAddress = hostAddress;
            Transport = new TcpTransport(hostAddress);
            Datagrams = new UdpTransport(hostAddress);
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
        public string HostAddress { get; }
        public bool IsSimulated => false;
    }
}
