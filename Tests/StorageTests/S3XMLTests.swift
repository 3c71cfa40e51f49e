import Storage
import Testing

@Suite struct S3XMLTests {
    @Test func documentsEscapeTextAndErrorsCarryNoNamespace() {
        let listing = S3XML.document("ListBucketResult") { xml in
            xml.element("Name", "a&b")
            xml.element("Contents") { contents in contents.element("Key", "<tag> \"q\" 'a'") }
        }
        #expect(listing.hasSuffix(
            "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>a&amp;b</Name><Contents><Key>&lt;tag&gt; &quot;q&quot; &apos;a&apos;</Key></Contents></ListBucketResult>"))
        #expect(S3XML.document("Error", namespaced: false) { $0.element("Code", "NoSuchKey") }.hasSuffix("<Error><Code>NoSuchKey</Code></Error>"))
    }

    @Test func requestDocumentsAreRead() {
        let body = """
            <CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Part><ETag>"abc"</ETag><PartNumber>1</PartNumber></Part>
              <Part>
                <PartNumber>2</PartNumber><ETag>&quot;def&quot;</ETag>
              </Part>
            </CompleteMultipartUpload>
            """
        let parts = S3XML.elements("Part", in: Substring(body))
        #expect(parts.count == 2)
        #expect(S3XML.value("PartNumber", in: parts[1]) == "2" && S3XML.value("ETag", in: parts[1]) == "\"def\"")
        let delete = "<Delete><Quiet>true</Quiet><Object><Key>a &amp; b&#x2F;c&#233;</Key></Object><Objects/></Delete>"
        #expect(S3XML.elements("Object", in: Substring(delete)).map { S3XML.value("Key", in: $0) } == ["a & b/cé"])
        #expect(S3XML.value("Quiet", in: Substring(delete)) == "true")
    }

    @Test func timesAreWrittenAsS3Does() {
        #expect(S3XML.timestamp(ms: 1_369_353_600_123) == "2013-05-24T00:00:00.123Z")
        #expect(S3XML.httpDate(ms: 1_369_353_600_000) == "Fri, 24 May 2013 00:00:00 GMT")
    }
}
