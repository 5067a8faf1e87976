using System.Threading;

namespace PSPeer.Engine.Runtime.Simulated
{
    enum SegmentKind : byte { Data, Fin, Reset }

    /// <summary>What travels on a simulated link: a piece of a write, an orderly close, or a reset.</summary>
    sealed class Segment
    {
        public static readonly SendOrPostCallback Deliver = state =>
        {
            var segment = (Segment)state;
            segment.Target.Receive(segment);
        };

        public Segment(SimulatedStream target, SegmentKind kind, byte[] data)
        {
            Target = target;
            Kind = kind;
            Data = data;
        }

        public readonly SimulatedStream Target;
        public readonly SegmentKind Kind;
        public readonly byte[] Data;
    }
}
