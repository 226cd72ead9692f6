using System.ComponentModel.DataAnnotations;

namespace CustomProvider;

/// <summary>Where <see cref="ContentAddressedArtifactStore"/> keeps its files.</summary>
public sealed class ContentAddressedArtifactStoreOptions
{
    /// <summary>The store's folder; every runner that reads another's artifacts must share it. Required.</summary>
    [Required]
    public string RootPath { get; set; } = "";
}
