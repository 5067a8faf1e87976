using System;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// The receiving side of Message Stream Encryption (MSE, "protocol encryption"), far enough to choose plaintext: a
    /// peer that opens with it (aria2 always does; libtorrent, Transmission and qBittorrent may) gets our answer at once
    /// instead of a closed connection. aria2 retries a refused encrypted handshake with a plain one only a second later,
    /// which was a seventh of a 1 GiB transfer to it here (issue 13).
    /// <para>The exchange (A is the peer that connected, B us; S the Diffie-Hellman secret, SKEY the info-hash):
    /// 1 A→B Ya, PadA. 2 B→A Yb, PadB. 3 A→B HASH('req1', S), HASH('req2', SKEY) xor HASH('req3', S),
    /// ENCRYPT(VC, crypto_provide, len(PadC), PadC, len(IA)), ENCRYPT(IA). 4 B→A ENCRYPT(VC, crypto_select, len(PadD),
    /// PadD); then the BitTorrent handshake and messages, here in plaintext. HASH is SHA-1, ENCRYPT RC4 keyed with
    /// HASH('keyA' or 'keyB', S, SKEY) after 1024 discarded bytes, VC eight zero bytes, pads 0 to 512 bytes.</para>
    /// <para>Runs on the reader's own buffer: when it returns, the initial payload IA (the peer's BitTorrent handshake,
    /// if it sent it there) lies decrypted at the front of the reader, and the plaintext stream follows it, so the
    /// usual <see cref="PeerWireReader.ReadHandshakeAsync"/> goes on from there. A peer that offers only RC4 for the
    /// stream is refused (we do not encrypt transfers).</para>
    /// </summary>
    static class EncryptedHandshake
    {
        /// <summary>The 768-bit prime of the exchange (generator 2).</summary>
        internal static readonly BigInteger Prime = BigInteger.Parse(
            "0FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36210000000000090563",
            NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        internal const int KeyLength = 96;
        internal const int MaxPadLength = 512;
        internal const int VcLength = 8;
        internal const uint CryptoPlaintext = 1;
        internal const uint CryptoRc4 = 2;
        // The initial payload is the peer's BitTorrent handshake, perhaps with a message or two behind it.
        const int MaxInitialPayload = 4096;

        /// <summary>
        /// Answers an encrypted handshake whose first bytes are buffered in <paramref name="reader"/>, choosing plaintext.
        /// PeerWireException when it is not one for <paramref name="infoHash"/>, or the peer will only have RC4.
        /// </summary>
        public static async Task AcceptAsync(PeerWireReader reader, Stream stream, InfoHash infoHash, IRandomSource random, CancellationToken cancellationToken)
        {
            // 1 and 2: their public key, then ours (and a random pad) at once; the secret.
            await reader.RequireAsync(KeyLength, cancellationToken);
            var theirKey = ReadKey(reader.Unread, reader.UnreadStart);
            if (theirKey <= BigInteger.One || theirKey >= Prime - BigInteger.One)
                throw new PeerWireException("the encrypted handshake's key is out of range (not a BitTorrent peer)");
            reader.Consume(KeyLength);
            var privateKey = PrivateKey(random);
            int padLength = random.Next(MaxPadLength + 1);
            var hello = new byte[KeyLength + padLength];
            WriteKey(PublicKey(privateKey), hello, 0);
            var pad = new byte[padLength];
            random.NextBytes(pad);
            Buffer.BlockCopy(pad, 0, hello, KeyLength, padLength);
            await stream.WriteAsync(hello, 0, hello.Length, cancellationToken);
            var secret = Secret(theirKey, privateKey);

            // 3: find HASH('req1', S) behind their pad, then which torrent they want.
            var req1 = Hash("req1", secret);
            int at;
            while ((at = IndexOf(reader.Unread, reader.UnreadStart, reader.Buffered, req1)) < 0)
            {
                if (reader.Buffered >= MaxPadLength + req1.Length)
                    throw new PeerWireException("no encrypted handshake follows the key (not a BitTorrent peer)");
                await reader.RequireAsync(reader.Buffered + 1, cancellationToken);
            }
            reader.Consume(at + req1.Length);
            await reader.RequireAsync(20 + VcLength + 4 + 2, cancellationToken);
            var skey = infoHash.ToArray();
            var marker = TorrentMarker(skey, secret);
            for (int i = 0; i < marker.Length; i++)
                if (reader.Unread[reader.UnreadStart + i] != marker[i]) throw new PeerWireException("the encrypted handshake asks for another torrent");
            reader.Consume(20);
            var fromThem = Cipher("keyA", secret, skey);
            var toThem = Cipher("keyB", secret, skey);

            var b = reader.Unread;
            int h = reader.UnreadStart;
            fromThem.Apply(b, h, VcLength + 4 + 2);
            for (int i = 0; i < VcLength; i++)
                if (b[h + i] != 0) throw new PeerWireException("the encrypted handshake's verification constant is wrong");
            uint provided = BigEndian.ReadUInt32(b, h + VcLength);
            int padC = b[h + 12] << 8 | b[h + 13];
            if (padC > MaxPadLength) throw new PeerWireException($"the encrypted handshake's pad is {padC} bytes (at most {MaxPadLength})");
            reader.Consume(VcLength + 4 + 2);
            await reader.RequireAsync(padC + 2, cancellationToken);
            b = reader.Unread;
            h = reader.UnreadStart;
            fromThem.Apply(b, h, padC + 2);
            int initialPayload = b[h + padC] << 8 | b[h + padC + 1];
            reader.Consume(padC + 2);
            if (initialPayload > MaxInitialPayload)
                throw new PeerWireException($"the encrypted handshake's initial payload is {initialPayload} bytes (at most {MaxInitialPayload})");
            if ((provided & CryptoPlaintext) == 0)
                throw new PeerWireException("the peer offers only an encrypted stream (RC4), and we send plaintext");
            if (initialPayload > 0)
            {
                // Decrypted where it lies and left unread: the BitTorrent handshake is read from there.
                await reader.RequireAsync(initialPayload, cancellationToken);
                fromThem.Apply(reader.Unread, reader.UnreadStart, initialPayload);
            }

            // 4: VC, plaintext chosen, no pad. Everything after it is plaintext both ways.
            var answer = new byte[VcLength + 4 + 2];
            answer[VcLength + 3] = (byte)CryptoPlaintext;
            toThem.Apply(answer, 0, answer.Length);
            await stream.WriteAsync(answer, 0, answer.Length, cancellationToken);
        }

        static int IndexOf(byte[] buffer, int start, int count, byte[] pattern)
        {
            for (int i = 0; i + pattern.Length <= count; i++)
            {
                int k = 0;
                while (k < pattern.Length && buffer[start + i + k] == pattern[k]) k++;
                if (k == pattern.Length) return i;
            }
            return -1;
        }

        /// <summary>A 160-bit private key, as the specification asks.</summary>
        internal static BigInteger PrivateKey(IRandomSource random)
        {
            var bytes = new byte[20];
            random.NextBytes(bytes);
            return ReadKey(bytes, 0, bytes.Length);
        }

        internal static BigInteger PublicKey(BigInteger privateKey) => BigInteger.ModPow(2, privateKey, Prime);

        /// <summary>The shared secret S, 96 bytes big-endian as it is hashed.</summary>
        internal static byte[] Secret(BigInteger theirPublicKey, BigInteger privateKey)
        {
            var secret = new byte[KeyLength];
            WriteKey(BigInteger.ModPow(theirPublicKey, privateKey, Prime), secret, 0);
            return secret;
        }

        /// <summary>An unsigned big-endian number (96 bytes unless given).</summary>
        internal static BigInteger ReadKey(byte[] buffer, int offset, int length = KeyLength)
        {
            var littleEndian = new byte[length + 1];   // the extra zero keeps it positive
            for (int i = 0; i < length; i++) littleEndian[i] = buffer[offset + length - 1 - i];
            return new BigInteger(littleEndian);
        }

        /// <summary>A key as 96 bytes big-endian, zeros in front.</summary>
        internal static void WriteKey(BigInteger key, byte[] buffer, int offset)
        {
            var littleEndian = key.ToByteArray();
            int length = littleEndian.Length;
            while (length > 0 && littleEndian[length - 1] == 0) length--;   // the sign byte
            Array.Clear(buffer, offset, KeyLength - length);
            for (int i = 0; i < length; i++) buffer[offset + KeyLength - 1 - i] = littleEndian[i];
        }

        /// <summary>SHA-1 of an ASCII label followed by the parts.</summary>
        internal static byte[] Hash(string label, byte[] first, byte[] second = null)
        {
            var data = new byte[label.Length + first.Length + (second?.Length ?? 0)];
            for (int i = 0; i < label.Length; i++) data[i] = (byte)label[i];
            Buffer.BlockCopy(first, 0, data, label.Length, first.Length);
            if (second != null) Buffer.BlockCopy(second, 0, data, label.Length + first.Length, second.Length);
            using (var sha = SHA1.Create()) return sha.ComputeHash(data);
        }

        /// <summary>HASH('req2', SKEY) xor HASH('req3', S): names the torrent without showing its info-hash.</summary>
        internal static byte[] TorrentMarker(byte[] skey, byte[] secret)
        {
            var marker = Hash("req2", skey);
            var mask = Hash("req3", secret);
            for (int i = 0; i < marker.Length; i++) marker[i] ^= mask[i];
            return marker;
        }

        /// <summary>The RC4 stream of one direction ("keyA": from the peer that connected; "keyB": to it), past its first 1024 bytes.</summary>
        internal static Rc4 Cipher(string label, byte[] secret, byte[] skey)
        {
            var rc4 = new Rc4(Hash(label, secret, skey));
            rc4.Skip(1024);
            return rc4;
        }
    }
}
