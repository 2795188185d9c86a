using Archiver.Core.Pipeline;

namespace Archiver.Core.Node;

/// <summary>A new, already validated pipeline configuration for every customer of the node.</summary>
public sealed record NodeReconfigured(PipelineConfiguration Configuration);
