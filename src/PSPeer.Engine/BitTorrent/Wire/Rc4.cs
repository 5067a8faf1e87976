using System;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// The RC4 keystream, as the encrypted handshake (<see cref="EncryptedHandshake"/>) uses it: each side encrypts with
    /// its own key and both throw the first 1024 bytes of the stream away. Not for secrecy (RC4 is broken); MSE only
    /// obfuscates, and we use it for the few handshake bytes it covers.
    /// </summary>
    sealed class Rc4
    {
        readonly byte[] _s = new byte[256];
        int _i, _j;

        public Rc4(byte[] key)
        {
            if (key == null || key.Length == 0) throw new ArgumentException("An RC4 key has at least one byte.", nameof(key));
            for (int k = 0; k < 256; k++) _s[k] = (byte)k;
            for (int k = 0, j = 0; k < 256; k++)
            {
                j = (j + _s[k] + key[k % key.Length]) & 0xFF;
                (_s[k], _s[j]) = (_s[j], _s[k]);
            }
        }

        /// <summary>XORs the next bytes of the keystream into <paramref name="data"/> (encrypting and decrypting alike).</summary>
        public void Apply(byte[] data, int offset, int count)
        {
            var s = _s;
            int i = _i, j = _j;
            for (int k = offset; k < offset + count; k++)
            {
                i = (i + 1) & 0xFF;
                j = (j + s[i]) & 0xFF;
                byte t = s[i];
                s[i] = s[j];
                s[j] = t;
                data[k] ^= s[(s[i] + s[j]) & 0xFF];
            }
            _i = i;
            _j = j;
        }

        /// <summary>Moves past <paramref name="count"/> bytes of the keystream.</summary>
        public void Skip(int count)
        {
            var discard = new byte[count];
            Apply(discard, 0, count);
        }
    }
}
