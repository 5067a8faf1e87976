using System.Collections.Generic;
using System.Text;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    /// <summary>Builds expected byte vectors by hand, field by field, the way the spec tables list them.</summary>
    sealed class Bytes
    {
        readonly List<byte> _b = new List<byte>();
        public Bytes U8(int v) { _b.Add((byte)v); return this; }
        public Bytes U16LE(int v) { _b.Add((byte)v); _b.Add((byte)(v >> 8)); return this; }
        public Bytes U32LE(long v) { for (int i = 0; i < 4; i++) _b.Add((byte)(v >> (8 * i))); return this; }
        public Bytes Raw(params byte[] bytes) { _b.AddRange(bytes); return this; }
        public Bytes Ascii(string s) { _b.AddRange(Encoding.ASCII.GetBytes(s)); return this; }
        public Bytes Utf8(string s) { _b.AddRange(Encoding.UTF8.GetBytes(s)); return this; }
        public byte[] ToArray() => _b.ToArray();
    }
}
