namespace PSPeer.Engine.Networks
{
    /// <summary>The shapes a composed network can take. Every builder returns a connected graph.</summary>
    public enum TopologyKind
    {
        /// <summary>A random spanning tree plus uniformly random extra links up to the mean degree.</summary>
        Random,
        /// <summary>Preferential attachment (Barabási–Albert): each new node links to m = degree/2 nodes chosen by degree.</summary>
        PowerLaw,
        /// <summary>A ring lattice: each node links to its degree/2 nearest neighbours on either side.</summary>
        Ring,
    }
}
