using System;
using System.Net;
using System.Security.Cryptography;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// BEP 15 connection ids without any state per asker: an id is the time it was issued (in 4-second steps, 16 bits)
    /// and 48 bits of a keyed hash (HMAC-SHA256 under a secret drawn when the tracker starts) of that time and the
    /// asker's IP address. An id is good for <see cref="Lifetime"/> from the address it was issued to, and a flood
    /// of connects costs the tracker nothing to remember. A forged id must guess 48 bits of the hash.
    /// </summary>
    /// <remarks>
    /// Tied to the IP only, not the port, as opentracker does: a client may announce from another socket than it
    /// connected from, and the IP is what the connect handshake proves (the answer reached it).
    /// </remarks>
    sealed class UdpConnectionIds
    {
        /// <summary>BEP 15: a tracker accepts a connection id for up to two minutes after issuing it.</summary>
        public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);
        static readonly long StepTicks = TimeSpan.FromSeconds(4).Ticks;
        static readonly int LifetimeSteps = (int)(Lifetime.Ticks / StepTicks);

        readonly HMACSHA256 _hmac;
        readonly byte[] _input = new byte[2 + 16];
        readonly object _gate = new object();

        public UdpConnectionIds(IPeerRuntime runtime)
        {
            var secret = new byte[32];
            // Deterministic under a simulation's seed; unguessable live, where the seed of System.Random would be a 32-bit secret.
            if (runtime.IsSimulated) runtime.Random.NextBytes(secret);
            else using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(secret);
            _hmac = new HMACSHA256(secret);
        }

        public long Issue(IPAddress asker, DateTimeOffset now)
        {
            ushort stamp = Stamp(now);
            return ((long)stamp << 48) | Hash(stamp, asker);
        }

        public bool IsValid(long connectionId, IPAddress asker, DateTimeOffset now)
        {
            ushort stamp = (ushort)((ulong)connectionId >> 48);
            int age = (ushort)(Stamp(now) - stamp);
            return age <= LifetimeSteps && (connectionId & 0xFFFF_FFFF_FFFFL) == Hash(stamp, asker);
        }

        static ushort Stamp(DateTimeOffset now) => (ushort)(now.UtcTicks / StepTicks);

        long Hash(ushort stamp, IPAddress asker)
        {
            if (asker.IsIPv4MappedToIPv6) asker = asker.MapToIPv4();
            var address = asker.GetAddressBytes();
            lock (_gate)
            {
                _input[0] = (byte)(stamp >> 8);
                _input[1] = (byte)stamp;
                Array.Clear(_input, 2, 16);
                Buffer.BlockCopy(address, 0, _input, 2, address.Length);
                var mac = _hmac.ComputeHash(_input, 0, 2 + address.Length);
                long h = 0;
                for (int i = 0; i < 6; i++) h = (h << 8) | mac[i];
                return h;
            }
        }
    }
}
