using System;
using System.Collections.Generic;

namespace PSPeer.Engine.Chord.Krpc
{
    /// <summary>
    /// One entry of a transfer response: a key id and its values (bytes, as stored), and — when the sender is PSPeer —
    /// the seconds each value has left to live (the "left" key of the response, one list per item), so a copy that
    /// moves keeps its age.
    /// </summary>
    public sealed class KrpcItem
    {
        public KrpcItem(ChordId keyId, IReadOnlyList<byte[]> values, IReadOnlyList<long> left = null)
        {
            if (left != null && left.Count != values.Count) throw new ArgumentException("One lifetime per value.", nameof(left));
            KeyId = keyId;
            Values = values;
            Left = left;
        }

        public ChordId KeyId { get; }
        public IReadOnlyList<byte[]> Values { get; }
        /// <summary>Seconds of lifetime left per value, in the order of <see cref="Values"/>; null when the sender did not say.</summary>
        public IReadOnlyList<long> Left { get; }
    }
}
