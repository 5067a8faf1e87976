namespace PSPeer.Engine.Networks.Chord
{
    /// <summary>A key of the network's key set: its name, where it lies on the ring, and whether it was really stored (or only placed).</summary>
    internal readonly struct StoredKey
    {
        public StoredKey(string name, RingPoint point, bool stored)
        {
            Name = name;
            Point = point;
            Stored = stored;
        }

        public string Name { get; }
        public RingPoint Point { get; }
        public bool Stored { get; }
    }
}
