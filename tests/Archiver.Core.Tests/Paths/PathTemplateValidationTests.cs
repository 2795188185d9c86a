using System.ComponentModel.DataAnnotations;
using Archiver.Core.Paths;
using Archiver.Core.Pipeline;

namespace Archiver.Core.Tests.Paths;

/// <summary>A template that would fail or misplace every item is refused when it is set, naming why.</summary>
public sealed class PathTemplateValidationTests
{
    [Theory]
    [InlineData("/x/{id}/../../{id}.{ext}", "'..'")]
    [InlineData("/x/./{id}.{ext}", "'.'")]
    [InlineData("/x//{id}.{ext}", "empty component")]
    [InlineData("/x/{id}/", "empty component")]
    [InlineData("/x/. ./{id}", "nothing once trailing dots and spaces go")]
    [InlineData("/x/{kind}", "must contain {id}")]
    [InlineData("/", "must contain {id}")]
    public void TemplateWithAComponentDropboxCannotStore_IsRefusedSayingWhy(string template, string expected)
    {
        Assert.False(PathTemplate.TryParse(template, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.Contains(expected, Assert.Throws<FormatException>(() => PathTemplate.Parse(template)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ComponentWhoseFixedTextLeavesNoRoomForTheId_IsRefused()
    {
        var template = "/" + new string('a', 200) + "{id}.{ext}";

        Assert.False(PathTemplate.TryParse(template, out _, out var problem));
        Assert.Contains("longer than 255", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PathTemplate.Default)]
    [InlineData("/{from}/{to}/{id}")]
    [InlineData("/.archive/..{id}../{ext}")]
    [InlineData("/{customer}/{kind}/{yyyy}-{MM}-{dd}T{HH}{mm}{ss}_{id}.{ext}")]
    public void SensibleTemplate_IsAccepted(string template)
    {
        Assert.True(PathTemplate.TryParse(template, out var parsed, out var problem), problem);
        Assert.Equal(template, parsed.Template);
    }

    [Fact]
    public void PipelineDefaultTemplate_WithADotDotComponent_FailsValidationOnThatMember()
    {
        var options = new PipelineOptions { PathTemplate = "/x/{id}/../../{id}.{ext}" };

        var result = Assert.Single(Validate(options));

        Assert.Equal([nameof(PipelineOptions.PathTemplate)], result.MemberNames);
        Assert.Contains("'..'", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void CustomerOverrideTemplate_WithAnEmptyComponent_FailsValidationOnThatMember()
    {
        var result = Assert.Single(Validate(new CustomerOverride { PathTemplate = "/x//{id}" }));

        Assert.Equal([nameof(CustomerOverride.PathTemplate)], result.MemberNames);
        Assert.Contains("empty component", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void CustomerOverrideWithoutATemplate_IsValid()
    {
        Assert.Empty(Validate(new CustomerOverride()));
    }

    private static List<ValidationResult> Validate(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
