namespace PSPeer.Engine.Chord
{
    /// <summary>How a lookup walks the ring (as DNS resolves names).</summary>
    public enum ChordLookupMode
    {
        /// <summary>The asker itself asks one node after another with closest_preceding.</summary>
        Iterative,
        /// <summary>The asker sends find_successor; each node forwards it, and the answer comes back along the path.</summary>
        Recursive,
    }
}
