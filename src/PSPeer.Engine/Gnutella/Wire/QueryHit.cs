using System;
using System.Collections.Generic;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// QueryHit (0x81): hit count, port (u16 LE), IPv4, speed (u32 LE), the result set, a trailer (vendor code, open
    /// data with the push and busy flags) and the 16-byte servent GUID last.
    /// </summary>
    public sealed class QueryHit : GnutellaPayload
    {
        public override GnutellaPayloadType Type => GnutellaPayloadType.QueryHit;
        public int Port { get; set; }
        public string Address { get; set; } = "0.0.0.0";
        /// <summary>Kilobits per second, as the spec has it.</summary>
        public uint Speed { get; set; }
        IReadOnlyList<QueryHitResult> _results = Array.Empty<QueryHitResult>();
        // A decoded hit keeps its checked result set as bytes until Results is first read (see SetEncodedResults).
        volatile byte[] _encoded;
        int _encodedOffset, _encodedEnd, _encodedCount;

        public IReadOnlyList<QueryHitResult> Results
        {
            get
            {
                var encoded = _encoded;
                if (encoded != null)
                {
                    // Two threads asking at once each make an equal list; either may be kept.
                    _results = GnutellaCodec.DecodeResults(encoded, _encodedOffset, _encodedEnd, _encodedCount);
                    _encoded = null;
                }
                return _results;
            }
            set
            {
                _results = value;
                _encoded = null;
            }
        }

        /// <summary>How many results the hit carries, without making them.</summary>
        public int ResultCount => _encoded != null ? _encodedCount : Results?.Count ?? 0;

        /// <summary>
        /// The decoder has checked <paramref name="count"/> results in <paramref name="payload"/> from
        /// <paramref name="offset"/> (up to <paramref name="end"/>): they are made from those bytes when first asked for.
        /// Routing a hit back only counts them; the payload is not changed afterwards (it is forwarded as received).
        /// </summary>
        internal void SetEncodedResults(byte[] payload, int offset, int end, int count)
        {
            _encodedOffset = offset;
            _encodedEnd = end;
            _encodedCount = count;
            _encoded = payload;
        }
        /// <summary>Four characters; null or empty when the hit came without a trailer.</summary>
        public string VendorCode { get; set; } = "PSPR";
        /// <summary>The answering servent is firewalled: downloading needs a Push.</summary>
        public bool Push { get; set; }
        public bool Busy { get; set; }
        public GnutellaGuid ServentId { get; set; }
    }
}
