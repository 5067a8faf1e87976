namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// What travels on a simulated link: a piece of a write, an orderly close, or a reset. Segments have no object of
    /// their own: they wait in the receiving stream's ring (SimulatedStream.InFlight) until their arrival is due.
    /// </summary>
    enum SegmentKind : byte { Data, Fin, Reset }
}
