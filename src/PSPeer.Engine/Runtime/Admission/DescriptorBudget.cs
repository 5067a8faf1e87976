using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace PSPeer.Engine.Runtime.Admission
{
    /// <summary>
    /// A count of file descriptors that connections may hold, shared by every node that uses it, kept below the
    /// process's open-file limit (RLIMIT_NOFILE). When the .NET runtime cannot get a descriptor (EMFILE) for its own
    /// pipes and files it aborts the whole process, so a node refuses a connection instead of taking the last ones.
    /// </summary>
    /// <remarks>
    /// <see cref="Process"/> is the budget every live node uses unless its limits name another (tests use small ones).
    /// It leaves a reserve for what is not a connection (assemblies, files being served or written, the runtime's
    /// pipes and epoll, the accept that is refused): a tenth of the limit, at least 128.
    /// </remarks>
    public sealed class DescriptorBudget
    {
        static readonly Lazy<DescriptorBudget> ProcessBudget = new Lazy<DescriptorBudget>(() =>
        {
            long limit = ReadOpenFileLimit(out string source);
            long reserve = Math.Max(128, limit / 10);
            return new DescriptorBudget((int)Math.Max(64, Math.Min(int.MaxValue, limit - reserve)), limit, source);
        });

        int _inUse;

        public DescriptorBudget(int capacity) : this(capacity, capacity, "configured") { }

        DescriptorBudget(int capacity, long processLimit, string source)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A descriptor budget holds at least one.");
            Capacity = capacity;
            ProcessLimit = processLimit;
            Source = source;
        }

        /// <summary>The budget shared by every live node of this process.</summary>
        public static DescriptorBudget Process => ProcessBudget.Value;

        /// <summary>Most descriptors connections may hold together.</summary>
        public int Capacity { get; }
        /// <summary>Descriptors held now.</summary>
        public int InUse => Volatile.Read(ref _inUse);
        /// <summary>The open-file limit the capacity was derived from (equal to Capacity for a configured budget).</summary>
        public long ProcessLimit { get; }
        /// <summary>Where the limit came from ("/proc/self/limits", "default for Windows", "configured").</summary>
        public string Source { get; }

        /// <summary>Takes one descriptor; false when the budget is spent.</summary>
        public bool TryAcquire()
        {
            while (true)
            {
                int current = Volatile.Read(ref _inUse);
                if (current >= Capacity) return false;
                if (Interlocked.CompareExchange(ref _inUse, current + 1, current) == current) return true;
            }
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref _inUse) < 0) Interlocked.Increment(ref _inUse);
        }

        public override string ToString() => $"{InUse}/{Capacity} descriptors (process limit {ProcessLimit}, {Source})";

        /// <summary>
        /// The soft RLIMIT_NOFILE. Linux: read from /proc/self/limits (the .NET runtime raises the soft limit to the
        /// hard one at startup, so this is the limit that applies). Elsewhere: Windows has no small per-process handle
        /// limit, so 16,384 bounds us sensibly; other Unixes (macOS defaults to 256 before the runtime raises it) get
        /// the conservative 1,024.
        /// </summary>
        internal static long ReadOpenFileLimit(out string source)
        {
            try
            {
                if (File.Exists("/proc/self/limits"))
                {
                    long parsed = ParseLimits(File.ReadAllText("/proc/self/limits"));
                    if (parsed > 0) { source = "/proc/self/limits"; return parsed; }
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) { source = "default for Windows"; return 16_384; }
            source = "default (limit unreadable)";
            return 1_024;
        }

        /// <summary>The soft limit from the "Max open files" line of /proc/self/limits; -1 when absent; "unlimited" as a large number.</summary>
        internal static long ParseLimits(string text)
        {
            foreach (var raw in text.Split('\n'))
            {
                if (!raw.StartsWith("Max open files", StringComparison.Ordinal)) continue;
                var parts = raw.Substring("Max open files".Length).Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 0) return -1;
                if (parts[0] == "unlimited") return 1_048_576;
                return long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long soft) ? soft : -1;
            }
            return -1;
        }
    }
}
