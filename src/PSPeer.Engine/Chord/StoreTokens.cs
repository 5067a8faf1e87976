using System;
using System.Net;
using System.Security.Cryptography;

namespace PSPeer.Engine.Chord
{
    /// <summary>
    /// Store tokens, as BEP 5 makes them: a keyed hash of the asker's address and a ten-minute window, so a node keeps
    /// no state per asker. A token from the current or the previous window is accepted, so one handed out within the
    /// last ten minutes always works; a store from an address that never received one (a spoofed source) fails.
    /// </summary>
    static class StoreTokens
    {
        public const int Length = 8;
        public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

        [ThreadStatic] static SHA1 t_sha1;
        [ThreadStatic] static byte[] t_input;

        public static byte[] Make(ulong secret, IPAddress address, DateTimeOffset now) => Make(secret, address, now.UtcTicks / Window.Ticks);

        public static bool Check(ulong secret, IPAddress address, DateTimeOffset now, byte[] token)
        {
            if (token == null || token.Length != Length) return false;
            long window = now.UtcTicks / Window.Ticks;
            return Same(token, Make(secret, address, window)) || Same(token, Make(secret, address, window - 1));
        }

        static byte[] Make(ulong secret, IPAddress address, long window)
        {
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            var addressBytes = address.GetAddressBytes();
            var input = t_input ?? (t_input = new byte[16 + 16]);
            for (int i = 0; i < 8; i++) input[i] = (byte)(secret >> (8 * i));
            for (int i = 0; i < 8; i++) input[8 + i] = (byte)(window >> (8 * i));
            Array.Clear(input, 16, 16);
            Buffer.BlockCopy(addressBytes, 0, input, 16, Math.Min(16, addressBytes.Length));
            var hash = (t_sha1 ?? (t_sha1 = SHA1.Create())).ComputeHash(input, 0, 16 + addressBytes.Length);
            var token = new byte[Length];
            Buffer.BlockCopy(hash, 0, token, 0, Length);
            return token;
        }

        static bool Same(byte[] a, byte[] b)
        {
            int d = 0;
            for (int i = 0; i < Length; i++) d |= a[i] ^ b[i];
            return d == 0;
        }
    }
}
