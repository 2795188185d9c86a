using Akka.Actor;
using Akka.Streams;

namespace Archiver.Core.Pipeline;

/// <summary>
/// The one stream materializer of a node's actor system, created on first use: every customer's stream runs on it, so a
/// node of ten thousand customers holds one materializer, not one per actor.
/// </summary>
public sealed class NodeMaterializer : ExtensionIdProvider<NodeMaterializer.Extension>
{
    private static readonly NodeMaterializer Id = new();

    public static IMaterializer For(ActorSystem system) => Id.Apply(system).Materializer;

    public override Extension CreateExtension(ExtendedActorSystem system) =>
        new(system.Materializer(namePrefix: "customer-stream"));

    /// <summary>What the actor system holds.</summary>
    public sealed class Extension(ActorMaterializer materializer) : IExtension
    {
        public ActorMaterializer Materializer { get; } = materializer;
    }
}
