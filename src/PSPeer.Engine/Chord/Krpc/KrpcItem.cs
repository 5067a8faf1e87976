using System.Collections.Generic;

namespace PSPeer.Engine.Chord.Krpc
{
    /// <summary>One entry of a transfer response: a key id and its values.</summary>
    public sealed class KrpcItem
    {
        public KrpcItem(ChordId keyId, IReadOnlyList<string> values)
        {
            KeyId = keyId;
            Values = values;
        }

        public ChordId KeyId { get; }
        public IReadOnlyList<string> Values { get; }
    }
}
