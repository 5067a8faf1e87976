using System.Collections.Generic;

namespace PSPeer.Engine.Chord.Krpc
{
    /// <summary>
    /// One KRPC message, decoded or to encode: the envelope (transaction id, kind, method) and whichever fields its
    /// method carries (issue 12's table). Fields a method does not use stay null/absent. Responses do not name their
    /// method on the wire: the decoder reads every field it knows and the asker uses the ones its query expects.
    /// </summary>
    public sealed class KrpcMessage
    {
        /// <summary>"t": the asker's transaction id, echoed in the answer (1 to 16 bytes accepted).</summary>
        public byte[] TransactionId;
        public KrpcKind Kind;
        /// <summary>"q": the method of a query.</summary>
        public string Method;
        /// <summary>"id" of "a" or "r": the sender's node id.</summary>
        public ChordId SenderId;

        // Query arguments
        /// <summary>"target": a key id (closest_preceding, find_successor, store_value, get_values).</summary>
        public ChordId? Target;
        /// <summary>"ttl" of find_successor: forwards still allowed.</summary>
        public int? Ttl;
        /// <summary>"v" of store_value: the value's bytes (a bencoded byte string, kept byte for byte).</summary>
        public byte[] Value;
        /// <summary>
        /// "left" of store_value (a PSPeer extension, ignored by others as unknown keys are): seconds of lifetime the value
        /// has left where it comes from (a copy handed on), so the copy does not start a fresh lifetime.
        /// </summary>
        public long? Left;
        /// <summary>
        /// "leaving" of notify (a PSPeer extension): the sender leaves the ring and these nodes take its place — for its
        /// successor the sender's predecessor (one node, or none when unknown), for its predecessor the sender's
        /// successor list, nearest first.
        /// </summary>
        public IReadOnlyList<ChordContact> Leaving;
        /// <summary>"token": of store_value (argument) or of closest_preceding / find_successor (response).</summary>
        public byte[] Token;
        /// <summary>"from" of get_values: the index to continue from.</summary>
        public int? FromIndex;
        /// <summary>"from" and "to" of transfer: the interval (from, to].</summary>
        public ChordId? FromId, ToId;
        /// <summary>"after" of transfer (argument): the key id to continue after.</summary>
        public ChordId? After;
        /// <summary>"skip" of closest_preceding (a PSPeer extension, ignored by others as unknown keys are): ids the asker found dead, to pass over.</summary>
        public IReadOnlyList<ChordId> Skip;

        // Response fields
        /// <summary>"node" of get_predecessor (absent when unknown).</summary>
        public ChordContact Node;
        /// <summary>"nodes": a successor list, nearest first.</summary>
        public IReadOnlyList<ChordContact> Nodes;
        /// <summary>"owner" of closest_preceding and find_successor.</summary>
        public ChordContact Owner;
        /// <summary>"next" of closest_preceding.</summary>
        public ChordContact Next;
        /// <summary>"hops" of find_successor.</summary>
        public int? Hops;
        /// <summary>"path" of find_successor: the nodes that handled it, first first.</summary>
        public IReadOnlyList<ChordContact> Path;
        /// <summary>"values" of get_values, oldest first, byte for byte.</summary>
        public IReadOnlyList<byte[]> Values;
        /// <summary>"more" of get_values: the next index (absent at the end).</summary>
        public int? MoreIndex;
        /// <summary>"more" of transfer: the last key id sent (absent at the end).</summary>
        public ChordId? MoreId;
        /// <summary>"items" of transfer; with "left" (a PSPeer extension) each item carries its values' remaining lifetimes.</summary>
        public IReadOnlyList<KrpcItem> Items;
        /// <summary>"taken" of a notify response (a PSPeer extension): the keys this node took over from a leaving sender.</summary>
        public int? Taken;

        // Error
        public int ErrorCode;
        public string ErrorMessage;

        public static KrpcMessage Query(string method, ChordId sender) => new KrpcMessage { Kind = KrpcKind.Query, Method = method, SenderId = sender };
        public static KrpcMessage Response(byte[] transactionId, ChordId sender) => new KrpcMessage { Kind = KrpcKind.Response, TransactionId = transactionId, SenderId = sender };
        public static KrpcMessage Error(byte[] transactionId, int code, string message) =>
            new KrpcMessage { Kind = KrpcKind.Error, TransactionId = transactionId, ErrorCode = code, ErrorMessage = message };

        public override string ToString() =>
            Kind == KrpcKind.Query ? "query " + Method : Kind == KrpcKind.Response ? "response" : $"error {ErrorCode} {ErrorMessage}";
    }
}
